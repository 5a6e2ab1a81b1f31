import type { DocumentType } from "../../schemas/extraction.ts";
import { typeFromName, typeFromSymbol } from "../../extractors/fields/doctypes.ts";
import { EdxmlError, child, children, decodeXml, descendants, field, parseXml, rawText, type XNode } from "./xml.ts";

/**
 * Reader of edXML packages (QCVN 102:2016, the format of the national
 * inter-agency document exchange): the header (MessageHeader) is what the
 * sending agency's document system recorded for the letter, so its fields are
 * authoritative; the letter itself travels base64-encoded in Attachment
 * elements. A pure function of the bytes: no I/O, nothing written.
 *
 * Senders' software varies: the namespace URI and prefix, a wrapper element
 * around the envelope, attachments inside edXMLBody or after the envelope,
 * attachment properties as child elements or attributes. Names are matched by
 * local name and every field is optional.
 */

export interface EdxmlOrgan {
  id: string | null;
  name: string | null;
}

export interface EdxmlSigner {
  name: string | null;
  /** Position (chức vụ): "Thứ trưởng". */
  title: string | null;
  /** Competence (thẩm quyền ký): "KT. Bộ trưởng". */
  authority: string | null;
}

/** The header as document fields (the names of the extraction's DocumentFields where they overlap). */
export interface EdxmlFields {
  documentId: string | null;
  from: EdxmlOrgan | null;
  to: EdxmlOrgan[];
  /** Code/CodeNumber: the number before the slash. */
  number: string | null;
  /** Code/CodeNotation: the symbol after the slash. */
  symbol: string | null;
  /** From/OrganName. */
  issuer: string | null;
  place: string | null;
  /** PromulgationDate as YYYY-MM-DD, null when absent or not a date. */
  date: string | null;
  type: DocumentType;
  typeName: string | null;
  /** Subject without a leading "V/v" / "Về việc", as the extraction writes it. */
  subject: string | null;
  signer: EdxmlSigner;
  dueDate: string | null;
}

export interface EdxmlAttachment {
  name: string | null;
  contentType: string | null;
  contentId: string | null;
  description: string | null;
  bytes: Uint8Array;
}

export interface EdxmlPackage {
  fields: EdxmlFields;
  attachments: EdxmlAttachment[];
}

const ENVELOPE = "edXMLEnvelope";
// A root an envelope may be wrapped in by some senders ("<edXML><edXMLEnvelope/><AttachmentEncoded/></edXML>").
const WRAPPER = "edXML";

/**
 * Whether the bytes look like an edXML package: XML whose root element's local
 * name is edXMLEnvelope (or the edXML wrapper). Only the head is read, so it is
 * cheap to ask of every upload.
 */
export function isEdxml(bytes: Uint8Array): boolean {
  // Tag names are ASCII: latin1 reads them from any ASCII-compatible encoding, and never fails on a
  // multi-byte character cut at the end of the head.
  const slice = bytes.subarray(0, 4096);
  const utf16 = slice[0] === 0xff && slice[1] === 0xfe ? "utf-16le" : slice[0] === 0xfe && slice[1] === 0xff ? "utf-16be" : null;
  const head = utf16 ? new TextDecoder(utf16).decode(slice.subarray(2)) : Buffer.from(slice).toString("latin1").replace(/^\u00ef\u00bb\u00bf/, "");
  // Skip the declaration, processing instructions, comments, a DOCTYPE (the parser then refuses it
  // with a clear message) and whitespace before the root.
  const rest = head.replace(/^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>\s*)*/i, "");
  const match = /^<(?:[\w.-]+:)?([\w.-]+)[\s>/]/.exec(rest);
  return match?.[1] === ENVELOPE || match?.[1] === WRAPPER;
}

export function parseEdxml(bytes: Uint8Array): EdxmlPackage {
  const root = parseXml(decodeXml(bytes));
  const envelope = root.name === ENVELOPE ? root.node : root.name === WRAPPER ? child(root.node, ENVELOPE) : undefined;
  if (!envelope) throw new EdxmlError(`the root element is <${root.name}>, not an edXML envelope`);
  const header = child(envelope, "edXMLHeader", "MessageHeader") ?? descendants(envelope, "MessageHeader")[0];
  if (!header) throw new EdxmlError("the edXML envelope has no MessageHeader");
  return { fields: headerFields(header), attachments: attachments(root.node) };
}

function headerFields(header: XNode): EdxmlFields {
  const from = child(header, "From");
  const symbol = field(header, "Code", "CodeNotation");
  const typeName = field(header, "DocumentType", "TypeName");
  const signer = child(header, "SignerInfo");
  return {
    documentId: field(header, "DocumentId"),
    from: from ? organ(from) : null,
    to: children(header, "To").map(organ),
    number: field(header, "Code", "CodeNumber"),
    symbol,
    issuer: from ? field(from, "OrganName") : null,
    place: field(header, "PromulgationInfo", "Place"),
    date: isoDate(field(header, "PromulgationInfo", "PromulgationDate")),
    type: (typeName ? typeFromName(typeName) : null) ?? (symbol ? typeFromSymbol(symbol) : null) ?? "unknown",
    typeName,
    subject: withoutVv(field(header, "Subject")),
    signer: {
      name: field(signer, "FullName"),
      title: field(signer, "Position"),
      authority: field(signer, "Competence"),
    },
    dueDate: isoDate(field(header, "DueDate")),
  };
}

function organ(node: XNode): EdxmlOrgan {
  return { id: field(node, "OrganId"), name: field(node, "OrganName") };
}

function withoutVv(subject: string | null): string | null {
  if (!subject) return null;
  const stripped = subject.replace(/^(?:v\/v|về việc)\s*[:.]?\s*/iu, "").trim();
  return stripped || subject;
}

/**
 * "2024-03-15", "2024/03/15", "15/03/2024", "15-03-2024", with or without a
 * time after it, as YYYY-MM-DD; null for anything else or an impossible date.
 */
export function isoDate(value: string | null): string | null {
  if (!value) return null;
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/.exec(value);
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:$|[T\s])/.exec(value);
  const [y, m, d] = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
}

/**
 * Every Attachment element that carries content, wherever the sender put it.
 * Missing names and types are taken from the manifest's Reference with the
 * same ContentId.
 */
function attachments(root: XNode): EdxmlAttachment[] {
  const references = new Map<string, XNode>();
  for (const ref of descendants(root, "Reference")) {
    const id = field(ref, "ContentId");
    if (id) references.set(id, ref);
  }
  const found: EdxmlAttachment[] = [];
  for (const node of descendants(root, "Attachment")) {
    const encoded = child(node, "ContentTransferEncoded");
    const payload = encoded ? rawText(encoded) : rawText(node);
    if (!payload.trim()) continue;
    const contentId = field(node, "ContentId");
    const ref = contentId ? references.get(contentId) : undefined;
    const name = field(node, "AttachmentName") ?? field(node, "Name") ?? field(ref, "AttachmentName");
    found.push({
      name,
      contentType: field(node, "ContentType") ?? field(ref, "ContentType"),
      contentId,
      description: field(node, "Description") ?? field(ref, "Description"),
      bytes: base64(payload, name ?? contentId ?? `#${found.length + 1}`),
    });
  }
  return found;
}

function base64(payload: string, label: string): Uint8Array {
  const compact = payload.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new EdxmlError(`attachment ${label} is not base64-encoded`);
  }
  return new Uint8Array(Buffer.from(compact, "base64"));
}

export { EdxmlError };
