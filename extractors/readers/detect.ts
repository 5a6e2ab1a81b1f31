import { ReadError } from "../errors.ts";

export type DetectedFormat = "text" | "pdf" | "docx" | "zip" | "png" | "jpeg" | "tiff" | "ole" | "binary";

export interface Detection {
  format: DetectedFormat;
  /** A person-readable name of what the bytes are, for error messages. */
  description: string;
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0): boolean =>
  signature.every((b, i) => bytes[offset + i] === b);

/** Content sniffing by magic bytes. The extension is never consulted. */
export function detectFormat(bytes: Uint8Array): Detection {
  if (bytes.length === 0) throw new ReadError("empty_file", "the file is empty (0 bytes)");
  // %PDF may follow a little junk (some scanners prepend bytes); the spec allows 1024.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return { format: "pdf", description: "a PDF document" };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    // Part names are stored uncompressed in the zip's headers, wherever the part sits. A package
    // with Word parts but no main document is still a (broken) DOCX, for the reader to name.
    const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return zip.includes("word/document.xml") || zip.includes("word/")
      ? { format: "docx", description: "a Word (DOCX) document" }
      : { format: "zip", description: "a ZIP archive" };
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { format: "png", description: "a PNG image" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { format: "jpeg", description: "a JPEG image" };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { format: "tiff", description: "a TIFF image" };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0]))
    return { format: "ole", description: "a legacy Office (DOC/XLS) file" };
  if (looksLikeText(bytes)) return { format: "text", description: "plain text" };
  return { format: "binary", description: "binary data of an unknown kind" };
}

/** Text has a UTF-16 BOM, or almost no control bytes other than whitespace in its first 8 KiB. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / sample.length < 0.01;
}
