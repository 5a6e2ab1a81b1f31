import { ReadError } from "../errors.ts";

export type DetectedFormat =
  | "text"
  | "pdf"
  | "docx"
  | "png"
  | "jpeg"
  | "tiff"
  // Recognised, and refused with a message that says what the file is and what to do:
  | "zip"
  | "ole"
  | "rtf"
  | "archive"
  | "image"
  | "binary";

export interface Detection {
  format: DetectedFormat;
  /** A person-readable name of what the bytes are, for error messages. */
  description: string;
  /** For a format vanthu does not read: what the sender can do instead. */
  advice?: string;
}

const startsWith = (bytes: Uint8Array, signature: number[] | string, offset = 0): boolean =>
  typeof signature === "string"
    ? [...signature].every((ch, i) => bytes[offset + i] === ch.charCodeAt(0))
    : signature.every((b, i) => bytes[offset + i] === b);

const UNPACK = "unpack it and submit the letter inside";
const SAVE_AS = "open it and save it as DOCX or PDF";
const SAVE_SCAN = "save the scan as PNG, JPEG or PDF";

/** A BMP file header: "BM", then reserved zeros and a known DIB header size (a text file may start with "BM"). */
const isBmp = (bytes: Uint8Array) =>
  startsWith(bytes, "BM") && startsWith(bytes, [0, 0, 0, 0], 6) && [12, 40, 52, 56, 64, 108, 124].includes(bytes[14]! | (bytes[15]! << 8)) && bytes[16] === 0 && bytes[17] === 0;

/** Formats vanthu does not read, by magic bytes: named so the message can say what to do. */
const REFUSED: { test: (bytes: Uint8Array) => boolean; format: DetectedFormat; description: string; advice: string }[] = [
  { test: (b) => startsWith(b, [0x1f, 0x8b, 0x08]), format: "archive", description: "a gzip-compressed file", advice: UNPACK },
  { test: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), format: "archive", description: "a 7-Zip archive", advice: UNPACK },
  { test: (b) => startsWith(b, "Rar!\x1a\x07"), format: "archive", description: "a RAR archive", advice: UNPACK },
  { test: (b) => startsWith(b, "GIF87a") || startsWith(b, "GIF89a"), format: "image", description: "a GIF image", advice: SAVE_SCAN },
  { test: isBmp, format: "image", description: "a BMP image", advice: SAVE_SCAN },
  { test: (b) => startsWith(b, "RIFF") && startsWith(b, "WEBP", 8), format: "image", description: "a WebP image", advice: SAVE_SCAN },
  { test: (b) => startsWith(b, "{\\rtf"), format: "rtf", description: "an RTF document", advice: SAVE_AS },
];

/** Content sniffing by magic bytes. The extension is never consulted. */
export function detectFormat(bytes: Uint8Array): Detection {
  if (bytes.length === 0) throw new ReadError("empty_file", "the file is empty (0 bytes)");
  // %PDF may follow a little junk (some scanners prepend bytes); the spec allows 1024.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  if (head.includes("%PDF-")) return { format: "pdf", description: "a PDF document" };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return detectZip(bytes);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return { format: "png", description: "a PNG image" };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { format: "jpeg", description: "a JPEG image" };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { format: "tiff", description: "a TIFF image" };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return detectOle(bytes);
  const refused = REFUSED.find((r) => r.test(bytes));
  if (refused) return { format: refused.format, description: refused.description, advice: refused.advice };
  if (looksLikeText(bytes)) return { format: "text", description: "plain text" };
  return { format: "binary", description: "binary data of an unknown kind" };
}

/**
 * Part names are stored uncompressed in a ZIP's headers, wherever the part
 * sits, so the kind of package shows without inflating anything. A package
 * with Word parts but no main document is still a (broken) DOCX, for the
 * reader to name.
 */
function detectZip(bytes: Uint8Array): Detection {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (zip.includes("word/")) return { format: "docx", description: "a Word (DOCX) document" };
  // ODF and EPUB put an uncompressed "mimetype" entry first, its content right after the header.
  const mimetype = startsWith(bytes, "mimetype", 30) ? zip.toString("latin1", 38, 38 + 64) : "";
  const kind =
    zip.includes("xl/workbook") ? "an Excel (XLSX) workbook"
    : zip.includes("ppt/presentation") ? "a PowerPoint (PPTX) presentation"
    : mimetype.startsWith("application/vnd.oasis.opendocument") ? "an OpenDocument (ODT/ODS) file"
    : mimetype.startsWith("application/epub+zip") ? "an EPUB e-book"
    : null;
  if (kind) return { format: "zip", description: kind, advice: SAVE_AS };
  return { format: "zip", description: "a ZIP archive", advice: UNPACK };
}

const utf16 = (name: string) => Buffer.from(name, "utf16le");

/**
 * OLE compound files hold Word 97-2003 and Excel 97-2003 files, and also
 * password-protected OOXML: Word encrypts a .docx into "EncryptionInfo" and
 * "EncryptedPackage" streams of an OLE file. Stream names are UTF-16 in the
 * directory, found without parsing it.
 */
function detectOle(bytes: Uint8Array): Detection {
  const ole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ole.includes(utf16("EncryptedPackage")))
    return { format: "ole", description: "a password-protected Office document", advice: "remove the password (in Word: File > Info > Protect Document) and submit it again" };
  if (ole.includes(utf16("WordDocument"))) return { format: "ole", description: "a Word 97-2003 (.doc) document", advice: SAVE_AS };
  if (ole.includes(utf16("Workbook"))) return { format: "ole", description: "an Excel 97-2003 (.xls) workbook", advice: SAVE_AS };
  return { format: "ole", description: "a legacy Office (DOC/XLS) file", advice: SAVE_AS };
}

/**
 * Text has a UTF-16 BOM, looks like UTF-16 saved without one (the text
 * decoder names that), or has almost no control bytes other than whitespace
 * in its first 8 KiB.
 */
function looksLikeText(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return true;
  const sample = bytes.subarray(0, 8192);
  if (looksLikeUtf16(sample)) return true;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control / sample.length < 0.01;
}

/**
 * UTF-16 without a byte-order mark: ASCII characters (digits, spaces, line
 * breaks, Latin letters) leave a NUL in every other byte, always on the same
 * side. Binary data has NULs on both sides.
 */
function looksLikeUtf16(sample: Uint8Array): boolean {
  const pairs = Math.floor(sample.length / 2);
  if (pairs < 16) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i + 1 < sample.length; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const [more, fewer] = even > odd ? [even, odd] : [odd, even];
  return more >= pairs * 0.3 && fewer <= pairs * 0.01;
}
