import iconv from "iconv-lite";
import { ReadError } from "../errors.ts";

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as: "utf-8", "utf-16le", "utf-16be", "windows-1258", "tcvn3". */
  encoding: string;
  warnings: string[];
}

const RESAVE = "open it in Word or Notepad and save it again as Unicode (UTF-8)";

/**
 * Bytes of a plain-text letter → NFC Unicode text.
 *
 * Order matters: a byte-order mark is the only certain evidence, then strict
 * UTF-8 (legacy 8-bit Vietnamese text is practically never valid UTF-8), and
 * only then a guess between the two legacy encodings old government files use:
 * Windows-1258 and TCVN3 (ABC, ".VnTime" fonts). The guess is scored by how
 * much the text looks like Vietnamese when read either way.
 */
export function decodeText(bytes: Uint8Array, fileName?: string): DecodedText {
  if (bytes.length === 0) throw new ReadError("empty_file", "the file is empty (0 bytes)", fileName);

  // UTF-32 LE starts with the UTF-16 LE mark; check it first or it would be read as UTF-16 full of NULs.
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]))
    throw new ReadError("unsupported_encoding", `the text is in UTF-32, which vanthu does not read; ${RESAVE}`, fileName);
  if (startsWith(bytes, [0xff, 0xfe])) return strictUnicode(bytes, "utf-16le", fileName);
  if (startsWith(bytes, [0xfe, 0xff])) return strictUnicode(bytes, "utf-16be", fileName);
  // A UTF-8 mark is just as certain: broken bytes after it mean damage, not a legacy encoding.
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return strictUnicode(bytes, "utf-8", fileName);

  // NUL bytes never occur in text: either UTF-16 saved without its mark or not text at all.
  // Both single-byte decoders would happily turn them into characters, so stop here.
  if (bytes.includes(0))
    throw new ReadError(
      "unsupported_encoding",
      `the file contains NUL bytes, so it is not plain text in a known encoding (UTF-16 without a byte-order mark, or a binary file); ${RESAVE}`,
      fileName,
    );

  if (isValidUtf8(bytes)) return strictUnicode(bytes, "utf-8", fileName);
  rejectDamagedUtf8(bytes, fileName);
  return decodeLegacyVietnamese(bytes, fileName);
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * A UTF-8 file with a few broken sequences (cut short, or a stray byte pasted
 * in) is not legacy text: read as Windows-1258 or TCVN3 it would be mojibake
 * ("Sá»‘"). Legacy text, in turn, almost never forms valid multi-byte UTF-8
 * sequences, so "many valid, few broken" reliably means damaged UTF-8.
 * Paragraphs pasted in from a legacy file break many sequences at once, but
 * the rest of the file still holds dozens of Vietnamese letters in valid
 * UTF-8, which legacy text never forms by chance: that is UTF-8 too, mixed.
 */
function rejectDamagedUtf8(bytes: Uint8Array, fileName?: string): void {
  let broken = 0;
  let valid = 0;
  let vietnamese = 0;
  for (const ch of new TextDecoder("utf-8").decode(bytes)) {
    if (ch === "\uFFFD") broken++;
    else if (ch > "\x7f") {
      valid++;
      if (isVietnameseLetter(ch)) vietnamese++;
    }
  }
  if (valid >= 10 * broken || (vietnamese >= MIXED_MIN_LETTERS && vietnamese * 4 >= broken))
    throw new ReadError(
      "unsupported_encoding",
      `the text is UTF-8 but damaged: ${broken} invalid byte sequence(s) among ${valid} valid accented characters ` +
        `(the file may be cut short or have text of another encoding pasted in); ${RESAVE}`,
      fileName,
    );
}

/** Valid UTF-8 Vietnamese letters that show a file is UTF-8 with legacy text pasted in. */
const MIXED_MIN_LETTERS = 20;

/** UTF-8/16 decoding that refuses broken sequences instead of inventing U+FFFD. TextDecoder drops the BOM. */
function strictUnicode(bytes: Uint8Array, encoding: "utf-8" | "utf-16le" | "utf-16be", fileName?: string): DecodedText {
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new ReadError(
      "unsupported_encoding",
      `the file starts with a ${encoding.toUpperCase()} byte-order mark but the text after it is not valid ${encoding.toUpperCase()} (it is damaged or cut short); ${RESAVE}`,
      fileName,
    );
  }
  return { text: finish(text), encoding, warnings: [] };
}

/** NFC, because Windows-1258 (and some Unicode editors) store tone marks as separate combining characters. */
function finish(text: string): string {
  return text.replace(/^\uFEFF/, "").normalize("NFC");
}

// ---------------------------------------------------------------------------
// Windows-1258 vs TCVN3
//
// Every byte means something in both encodings, so neither decoder ever fails:
// the choice has to come from what the result looks like. Read the wrong way,
// each encoding produces tell-tale debris:
//   - TCVN3 read as Windows-1258: the lower-case letters (bytes 0xA8-0xFE) turn
//     into symbols and non-Vietnamese letters ("Qu¶ng TrÞ", "n¨m"), and tone
//     bytes land as combining marks on consonants.
//   - Windows-1258 read as TCVN3: the vowel bytes ô, ê, â, ơ, ư, ă turn into
//     toned vowels, so the combining tone after them gives one syllable two
//     tones ("Số" → "Sụỡ"), which no Vietnamese syllable has.
// So both readings are scored by counting debris; the cleaner one wins, and on
// a tie Windows-1258 (the only one Windows itself writes) is kept.

const TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"; // huyền, sắc, ngã, hỏi, nặng

/**
 * A reading this messy is neither encoding (VNI, Latin-1, a binary file...):
 * more than one debris item per 10 non-ASCII characters. Real text read the
 * right way scores 0 or nearly so.
 */
const MAX_DEBRIS_RATIO = 0.1;

function decodeLegacyVietnamese(bytes: Uint8Array, fileName?: string): DecodedText {
  const cp1258 = iconv.decode(bytes, "windows-1258").normalize("NFC");
  // iconv-lite's "tcvn" is TCVN 5712:1993 (VN1), a superset of the ABC/TCVN3 byte values
  // (same lower-case letters in 0xA0-0xFF, plus upper-case toned letters in 0x01-0x17 and 0x80-0x9F).
  const tcvn = restoreVnTimeHCapitals(iconv.decode(bytes, "tcvn").normalize("NFC"));
  const cpDebris = debris(cp1258);
  const tcvnDebris = debris(tcvn);
  const useTcvn = tcvnDebris < cpDebris;
  const text = useTcvn ? tcvn : cp1258;
  const evidence = bytes.filter((b) => b >= 0x80 || (b < 0x20 && !isWhitespaceByte(b))).length;

  if (Math.min(cpDebris, tcvnDebris) > evidence * MAX_DEBRIS_RATIO)
    throw new ReadError(
      "unsupported_encoding",
      `the text is not UTF-8, and reading it as Windows-1258 or TCVN3 (ABC) gives garbled Vietnamese; ` +
        `it may be in another legacy encoding such as VNI; ${RESAVE}`,
      fileName,
    );

  if (useTcvn)
    return {
      text,
      encoding: "tcvn3",
      warnings: [
        "The file was in the legacy TCVN3 (ABC, .VnTime fonts) encoding and was converted to Unicode; " +
          "check the Vietnamese letters, especially in headings typed in capitals, and ask for a Unicode (UTF-8) copy.",
      ],
    };
  return {
    text,
    encoding: "windows-1258",
    warnings: [
      "The file was not UTF-8 and was read as Windows-1258 (Vietnamese ANSI); check the Vietnamese letters and ask for a Unicode (UTF-8) copy.",
    ],
  };
}

function isWhitespaceByte(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0b || b === 0x0c || b === 0x0d;
}

/** Non-ASCII characters that are fine in Vietnamese text besides its letters. */
const TYPOGRAPHY = new Set(["\u00a0", "‘", "’", "“", "”", "–", "—", "…", "•", "₫", "€"]);

/** Count of characters and words that real Vietnamese text does not contain. */
function debris(text: string): number {
  let count = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      // Control characters: TCVN3 puts upper-case letters in 0x01-0x1F, so in a
      // Windows-1258 reading they are debris; in a TCVN3 reading they are letters.
      if ((cp < 0x20 && !isWhitespaceByte(cp)) || cp === 0x7f) count++;
    } else if (!TYPOGRAPHY.has(ch) && !isVietnameseLetter(ch)) {
      count++; // symbols, U+FFFD, stray combining marks, letters of other languages (Þ, ß, Ö...)
    }
  }
  for (const word of text.normalize("NFD").match(/\p{L}[\p{L}\p{M}]*/gu) ?? []) {
    if (!/[^\x00-\x7f]/.test(word)) continue; // ASCII words (UBND, email, English) say nothing
    let tones = 0;
    for (const ch of word) if (TONE_MARKS.includes(ch)) tones++;
    const bare = [...word].filter((ch) => !TONE_MARKS.includes(ch)).join("").normalize("NFC").toLowerCase();
    if (tones > 1 || !SYLLABLE.test(bare)) count++;
  }
  return count;
}

/**
 * Vietnamese is written one syllable per word: consonants, at most ONE run of
 * vowels (none in abbreviations such as "QĐ", "NĐ-CP"), consonants, one tone.
 * Only the vowel run is checked, onsets and codas are left free so place names
 * like "Đắk Lắk", "Krông Búk" pass. That is enough to catch Western text read
 * as TCVN3 ("mangé" → "mangộ"), where an accented letter splits the vowels.
 */
const SYLLABLE = /^[^aăâeêioôơuưy]*[aăâeêioôơuưy]{0,4}[^aăâeêioôơuưy]*$/u;

const letterCache = new Map<string, boolean>();

/**
 * A Vietnamese letter: a-z, đ, or a vowel carrying at most one vowel mark that
 * belongs on it (ă; â ê ô; ơ ư) and at most one tone. Derived from the Unicode
 * decomposition rather than a table, so it stays exact for all 134 precomposed letters.
 */
function isVietnameseLetter(ch: string): boolean {
  const cached = letterCache.get(ch);
  if (cached !== undefined) return cached;
  let ok = /^[a-zđ]$/i.test(ch);
  const m = /^([aeiouy])([\u0300-\u036f]+)$/iu.exec(ch.normalize("NFD"));
  if (!ok && m) {
    const base = m[1]!.toLowerCase();
    let tones = 0;
    let shapes = 0;
    ok = true;
    for (const mark of m[2]!) {
      if (TONE_MARKS.includes(mark)) tones++;
      else if (
        (mark === "\u0306" && base === "a") ||
        (mark === "\u0302" && "aeo".includes(base)) ||
        (mark === "\u031b" && "ou".includes(base))
      )
        shapes++;
      else ok = false;
    }
    ok &&= tones <= 1 && shapes <= 1;
  }
  letterCache.set(ch, ok);
  return ok;
}

/**
 * ABC/TCVN3 has no code for upper-case toned letters: headings were typed in
 * capitals with a ".VnTimeH" font, whose glyphs for the lower-case codes are
 * capitals. Decoded, "CỘNG HOÀ" comes out as "CộNG HOà". A line with no
 * lower-case ASCII letter but a word mixing two or more capitals with
 * lower-case letters is such a heading, and is upper-cased whole. Lines like
 * "Số: 526/VP-HCTC" (one capital in the mixed word) are left alone.
 */
function restoreVnTimeHCapitals(text: string): string {
  return text.replace(/[^\r\n]+/g, (line) =>
    !/[a-z]/.test(line) && /(?=\S*[A-Z]\S*[A-Z])(?=\S*\p{Ll})\S+/u.test(line) ? line.toUpperCase() : line,
  );
}
