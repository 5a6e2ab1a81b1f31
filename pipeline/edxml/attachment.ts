import JSZip from "jszip";
import type { EdxmlAttachment } from "./parse.ts";

/**
 * Which attachment of an edXML package is the letter. A package often carries
 * the signed letter plus annexes (phụ lục, spreadsheets, scans); vanthu reads
 * the first attachment that is a PDF, a Word document or plain text, and falls
 * back to the first image (a scanned letter) when there is none.
 *
 * Some exchange gateways zip each attachment before base64-encoding it; a zip
 * holding exactly one file that is not itself an Office package is unwrapped.
 */

export type AttachmentKind = "pdf" | "docx" | "text" | "image";

export interface MainAttachment {
  attachment: EdxmlAttachment;
  /** The letter's bytes (unwrapped when the sender zipped it). */
  bytes: Uint8Array;
  name: string;
  mediaType: string;
  kind: AttachmentKind;
}

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
// A zip entry bigger than this is not unwrapped (a zip bomb would otherwise be inflated in memory).
const MAX_UNWRAPPED_BYTES = 200 * 1024 * 1024;

export async function mainAttachment(attachments: readonly EdxmlAttachment[]): Promise<MainAttachment | null> {
  const candidates: MainAttachment[] = [];
  for (const attachment of attachments) {
    const unwrapped = await unwrapZip(attachment);
    const kind = kindOf(unwrapped.bytes, unwrapped.name, attachment.contentType);
    if (!kind) continue;
    const candidate = { attachment, bytes: unwrapped.bytes, name: unwrapped.name, mediaType: mediaTypeOf(kind, unwrapped.bytes, attachment.contentType), kind };
    if (kind !== "image") return candidate;
    candidates.push(candidate);
  }
  return candidates[0] ?? null;
}

export function kindOf(bytes: Uint8Array, name: string, contentType: string | null): AttachmentKind | null {
  const type = (contentType ?? "").toLowerCase().split(";")[0]!.trim();
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? "";
  if (startsWith(bytes, "%PDF-")) return "pdf";
  if (isZip(bytes)) return type === DOCX || ext === "docx" ? "docx" : null;
  if (imageType(bytes)) return "image";
  if (type === "application/pdf" || ext === "pdf") return "pdf";
  if (type === "text/plain" || ext === "txt") return "text";
  if (type.startsWith("image/")) return "image";
  return null;
}

function mediaTypeOf(kind: AttachmentKind, bytes: Uint8Array, contentType: string | null): string {
  if (kind === "pdf") return "application/pdf";
  if (kind === "docx") return DOCX;
  if (kind === "text") return "text/plain";
  return imageType(bytes) ?? contentType?.split(";")[0]?.trim() ?? "application/octet-stream";
}

async function unwrapZip(attachment: EdxmlAttachment): Promise<{ bytes: Uint8Array; name: string }> {
  const name = attachment.name ?? "attachment";
  if (!isZip(attachment.bytes)) return { bytes: attachment.bytes, name };
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(attachment.bytes);
  } catch {
    return { bytes: attachment.bytes, name };
  }
  const files = Object.values(zip.files).filter((entry) => !entry.dir);
  const only = files[0];
  if (files.length !== 1 || !only || zip.file("[Content_Types].xml")) return { bytes: attachment.bytes, name };
  // jszip keeps each entry's declared size (and fails when the inflated data
  // disagrees); refuse to inflate an oversized or unknown one: a zip bomb.
  const declared = (only as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? Infinity;
  if (declared > MAX_UNWRAPPED_BYTES) return { bytes: attachment.bytes, name };
  const inner = await only.async("uint8array");
  const innerName = only.name.split("/").pop() || name;
  // The sender's name for the attachment is what a person knows it by; a ".zip" name says nothing about the letter.
  return { bytes: inner, name: /\.zip$/i.test(name) ? innerName : name };
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function imageType(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x89 && startsWith(bytes.subarray(1), "PNG")) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (startsWith(bytes, "II*\0") || startsWith(bytes, "MM\0*")) return "image/tiff";
  if (startsWith(bytes, "GIF8")) return "image/gif";
  return null;
}

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false;
  return true;
}
