import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { ReadError } from "../../errors.ts";

/**
 * XML of a DOCX package, parsed with fast-xml-parser in "preserveOrder" form:
 * every node is `{ [tagName]: children[], ":@"?: attributes }`, so document
 * order survives (paragraph order drives list numbering) and the tree can be
 * written back (docx.ts marks paragraphs before handing the part to mammoth).
 *
 * Entities are never expanded (`processEntities: false`): text keeps its
 * `&amp;` escapes, which the builder writes back verbatim, and a DTD can do
 * nothing. Parts that declare a DTD at all are refused before parsing.
 */

export type XmlNode = Record<string, unknown> & { ":@"?: Record<string, string> };

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  commentPropName: "#comment",
  cdataPropName: "#cdata",
  suppressEmptyNode: true,
} as const;

// Any DTD is refused: an OOXML part never needs one, and it is how XXE and
// "billion laughs" documents start. Checked on the decoded text, so a UTF-16
// part cannot slip a declaration past a byte-level search.
const DTD = /<!DOCTYPE|<!ENTITY/i;

export function assertNoDtd(xml: string, part: string, fileName?: string): void {
  if (DTD.test(xml)) {
    throw new ReadError("corrupt_file", `${part} declares a DTD or entities, which a Word document never needs; refused`, fileName);
  }
}

export function parseXml(xml: string, part: string, fileName?: string): XmlNode[] {
  assertNoDtd(xml, part, fileName);
  try {
    return new XMLParser(OPTIONS).parse(xml) as XmlNode[];
  } catch (error) {
    throw new ReadError("corrupt_file", `${part} is not well-formed XML (${(error as Error).message})`, fileName);
  }
}

export function buildXml(nodes: XmlNode[]): string {
  return new XMLBuilder(OPTIONS).build(nodes) as string;
}

/** The tag name of a node ("w:p"), or "#text" / "#comment" / "?xml". */
export function nameOf(node: XmlNode): string {
  for (const key of Object.keys(node)) if (key !== ":@") return key;
  return "";
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const value = node[nameOf(node)];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** An attribute's value with its XML escapes decoded ("&#xF0B7;", "&amp;"); the tree itself keeps them raw. */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const raw = node?.[":@"]?.[name];
  if (raw === undefined || !raw.includes("&")) return raw;
  return raw.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (all, hex: string, dec: string, named: string) => {
    const code = hex ? Number.parseInt(hex, 16) : dec ? Number(dec) : -1;
    if (code >= 0) return code <= 0x10ffff ? String.fromCodePoint(code) : all;
    return XML_ENTITIES[named.toLowerCase()] ?? all;
  });
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node ? childrenOf(node).find((c) => nameOf(c) === name) : undefined;
}

export function childrenNamed(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? childrenOf(node).filter((c) => nameOf(c) === name) : [];
}

/** `w:val` of a property element such as `<w:numFmt w:val="decimal"/>`. */
export function val(node: XmlNode | undefined, name: string): string | undefined {
  return attr(child(node, name), "w:val");
}

/** The first element named `name` anywhere below `nodes`, depth first. */
export function findFirst(nodes: XmlNode[], name: string): XmlNode | undefined {
  for (const node of nodes) {
    if (nameOf(node) === name) return node;
    const found = findFirst(childrenOf(node), name);
    if (found) return found;
  }
  return undefined;
}

/** Decodes a part's bytes: UTF-8 unless a UTF-16 byte-order mark says otherwise (both are legal OOXML). */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  return new TextDecoder("utf-8").decode(bytes).replace(/^\uFEFF/, "");
}
