/**
 * File names in HTTP headers. An uploaded file's name is metadata only: it is
 * decoded faithfully (control characters, "../" and all) and handed to ingest
 * as the name the file arrived with; nothing ever builds a path from it. When
 * a name goes back out in Content-Disposition it is made safe for a header:
 * an ASCII fallback plus RFC 5987/6266 `filename*` with every byte outside
 * attr-char percent-encoded, so no CR/LF or quote can end the header.
 */

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAM = new RegExp(`;\\s*(${TOKEN})\\s*=\\s*("(?:[^"\\\\]|\\\\.)*"|[^;]*)`, "g");

/** The file name of a Content-Disposition header: `filename*` (RFC 5987) before `filename`. */
export function fileNameFromContentDisposition(header: string | undefined): string | null {
  if (!header) return null;
  const params = new Map<string, string>();
  for (const match of `;${header.replace(/^[^;]*/, "")}`.matchAll(PARAM)) {
    const name = match[1]!.toLowerCase();
    let value = match[2]!.trim();
    if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, "$1");
    if (!params.has(name)) params.set(name, value);
  }
  const extended = params.get("filename*");
  const decoded = extended === undefined ? null : decodeExtValue(extended);
  if (decoded) return decoded;
  const plain = params.get("filename");
  return plain ? latin1AsUtf8(plain) : null;
}

/** X-File-Name: an RFC 5987 ext-value (`UTF-8''C%C3%B4ng%20v%C4%83n.pdf`) or the name as sent. */
export function fileNameFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const decoded = /^[\w!#$%&+^`{}~-]+'[^']*'/.test(header) ? decodeExtValue(header) : null;
  return decoded ?? (latin1AsUtf8(header) || null);
}

/** RFC 5987 ext-value: charset'language'percent-encoded bytes. UTF-8 and ISO-8859-1 only; null otherwise. */
export function decodeExtValue(value: string): string | null {
  const match = /^([\w!#$%&+^`{}~-]+)'[^']*'(.*)$/.exec(value);
  if (!match) return null;
  const charset = match[1]!.toLowerCase();
  const bytes = percentDecode(match[2]!);
  if (!bytes) return null;
  if (charset === "iso-8859-1" || charset === "latin1") return Buffer.from(bytes).toString("latin1");
  if (charset !== "utf-8" && charset !== "utf8") return null;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function percentDecode(s: string): Uint8Array | null {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return null;
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (c > 0x7e || c < 0x21) {
      return null;
    } else {
      out.push(c);
    }
  }
  return new Uint8Array(out);
}

/**
 * Node hands header values over as latin1 (one char per byte). A client that
 * wrote the name as raw UTF-8 bytes meant UTF-8: decode it so when it is valid
 * UTF-8, keep it as is otherwise.
 */
function latin1AsUtf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[^\u0000-\u00ff]/.test(value)) return value;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(value, "latin1"));
  } catch {
    return value;
  }
}

/**
 * `attachment; filename="<ascii>"; filename*=UTF-8''<encoded>` for a stored
 * name. Only the last path segment is offered (a browser would drop the rest),
 * with control characters replaced.
 */
export function contentDisposition(name: string, fallback = "document"): string {
  const base = (name.split(/[/\\]/).pop() ?? "").replace(/[\u0000-\u001f\u007f]/g, "_").trim() || fallback;
  const ascii =
    base
      .normalize("NFC")
      .replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D"))
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/[^\x20-\x7e]|["\\%;]/g, "_") || fallback;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeAttrChars(base)}`;
}

// RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
function encodeAttrChars(s: string): string {
  // Buffer's UTF-8 encoder turns a lone surrogate into U+FFFD instead of throwing like encodeURIComponent.
  let out = "";
  for (const byte of Buffer.from(s, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
