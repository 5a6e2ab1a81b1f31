import iconv from "iconv-lite";
import { XMLParser } from "fast-xml-parser";

/**
 * The XML layer under the edXML reader: bytes to text, text to a tree whose
 * element names are local names (the namespace URI and prefix of QCVN 102
 * packages differ between the senders' software), and small accessors over it.
 *
 * Entities are never expanded (`processEntities: false`) and a document that
 * declares a DTD or an entity is refused before parsing: an edXML package never
 * needs one, and that is how XXE and "billion laughs" documents start. The five
 * predefined entities and character references are decoded by `decodeEntities`
 * on the text we read, which needs no DTD.
 */

export class EdxmlError extends Error {
  readonly code = "invalid_edxml";
  constructor(message: string) {
    super(message);
    this.name = "EdxmlError";
  }
}

/** An element: its children by local name (always arrays), its attributes under "@name", its text under "#text". */
export type XNode = Record<string, unknown>;

const PARSER = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: "#cdata",
  // Every element is an array, so one accessor serves "one To" and "many To".
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

const DTD = /<!DOCTYPE|<!ENTITY/i;

/** The document's text: BOM first, then the declared encoding, UTF-8 by default. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strictUtf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase();
  if (!declared || declared === "utf-8" || declared === "utf8") return strictUtf8(bytes);
  if (!iconv.encodingExists(declared)) throw new EdxmlError(`edXML declares an unsupported encoding "${declared}"`);
  return iconv.decode(Buffer.from(bytes), declared);
}

function strictUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new EdxmlError("edXML is not valid UTF-8");
  }
}

/** The root element's local name and node, parsed safely. */
export function parseXml(text: string): { name: string; node: XNode } {
  if (DTD.test(text)) throw new EdxmlError("edXML declares a DTD or entities, which a package never needs; refused");
  let tree: XNode;
  try {
    tree = PARSER.parse(text, true) as XNode;
  } catch (error) {
    throw new EdxmlError(`edXML is not well-formed XML (${(error as Error).message})`);
  }
  const roots = Object.keys(tree).filter((key) => !key.startsWith("#") && !key.startsWith("?"));
  const name = roots[0];
  if (roots.length !== 1 || name === undefined) throw new EdxmlError("edXML has no single root element");
  const node = children(tree, name)[0];
  if (!node) throw new EdxmlError("edXML has no single root element");
  return { name, node };
}

/** Child elements with this local name, as nodes (a text-only element becomes { "#text": value }). */
export function children(node: XNode | undefined, name: string): XNode[] {
  const value = node?.[name];
  if (!Array.isArray(value)) return [];
  return value.map((item) => (item !== null && typeof item === "object" ? (item as XNode) : { "#text": String(item ?? "") }));
}

export function child(node: XNode | undefined, ...path: string[]): XNode | undefined {
  let current = node;
  for (const name of path) current = children(current, name)[0];
  return current;
}

/** Elements with this local name anywhere under `node`, in document order per level. */
export function descendants(node: XNode | undefined, name: string, depth = 0): XNode[] {
  if (!node || depth > 32) return [];
  const found: XNode[] = [];
  for (const key of Object.keys(node)) {
    if (key.startsWith("@") || key.startsWith("#")) continue;
    for (const item of children(node, key)) {
      if (key === name) found.push(item);
      else found.push(...descendants(item, name, depth + 1));
    }
  }
  return found;
}

/** An element's text (entities decoded, CDATA verbatim), or null when absent or blank. */
export function text(node: XNode | undefined): string | null {
  if (!node) return null;
  const raw = node["#text"];
  const cdata = node["#cdata"];
  const parts: string[] = [];
  if (raw !== undefined) parts.push(decodeEntities(String(raw)));
  if (Array.isArray(cdata)) parts.push(...cdata.map((c) => String(c)));
  else if (cdata !== undefined) parts.push(String(cdata));
  const value = parts.join("").replace(/\s+/g, " ").trim();
  return value === "" ? null : value;
}

/** The raw text of an element without whitespace folding (base64 payloads). */
export function rawText(node: XNode | undefined): string {
  if (!node) return "";
  const raw = node["#text"];
  const cdata = node["#cdata"];
  return (raw === undefined ? "" : String(raw)) + (Array.isArray(cdata) ? cdata.join("") : cdata === undefined ? "" : String(cdata));
}

export function attribute(node: XNode | undefined, name: string): string | null {
  const value = node?.[`@${name}`];
  if (value === undefined || value === null) return null;
  const decoded = decodeEntities(String(value)).trim();
  return decoded === "" ? null : decoded;
}

/** An element's text at a child path, or the attribute of the same name on `node` (some senders use attributes). */
export function field(node: XNode | undefined, ...path: string[]): string | null {
  return text(child(node, ...path)) ?? (path.length === 1 ? attribute(node, path[0]!) : null);
}

const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (all, hex: string, dec: string, named: string) => {
    const code = hex ? Number.parseInt(hex, 16) : dec ? Number(dec) : -1;
    if (code >= 0) return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : all;
    return PREDEFINED[named.toLowerCase()] ?? all;
  });
}
