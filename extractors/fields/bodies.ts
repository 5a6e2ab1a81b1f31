import { fold } from "../text/normalize.ts";

/**
 * Names of issuing bodies from their symbol codes. The letter's own text is
 * searched first (a body named in full whose initials make the code: "Sở Kế
 * hoạch và Đầu tư" → SKHĐT); a table of codes whose names are not their
 * initials (SNN, STNMT...) covers the rest.
 */
const KNOWN_CODES: Record<string, string> = {
  SCT: "Sở Công Thương",
  SNV: "Sở Nội vụ",
  SKHĐT: "Sở Kế hoạch và Đầu tư",
  SNN: "Sở Nông nghiệp và Phát triển nông thôn",
  SNNPTNT: "Sở Nông nghiệp và Phát triển nông thôn",
  SNNMT: "Sở Nông nghiệp và Môi trường",
  STC: "Sở Tài chính",
  STP: "Sở Tư pháp",
  SXD: "Sở Xây dựng",
  SYT: "Sở Y tế",
  SGDĐT: "Sở Giáo dục và Đào tạo",
  SGTVT: "Sở Giao thông vận tải",
  STNMT: "Sở Tài nguyên và Môi trường",
  SLĐTBXH: "Sở Lao động - Thương binh và Xã hội",
  STTTT: "Sở Thông tin và Truyền thông",
  SVHTTDL: "Sở Văn hóa, Thể thao và Du lịch",
  SKHCN: "Sở Khoa học và Công nghệ",
  SNgV: "Sở Ngoại vụ",
  TTr: "Thanh tra tỉnh",
  VPCP: "Văn phòng Chính phủ",
  VPUBND: "Văn phòng UBND",
  UBND: "Ủy ban nhân dân",
  HĐND: "Hội đồng nhân dân",
  BNV: "Bộ Nội vụ",
  BTC: "Bộ Tài chính",
  BCT: "Bộ Công Thương",
  BXD: "Bộ Xây dựng",
  BYT: "Bộ Y tế",
  BTP: "Bộ Tư pháp",
  BKHĐT: "Bộ Kế hoạch và Đầu tư",
  BGDĐT: "Bộ Giáo dục và Đào tạo",
  BGTVT: "Bộ Giao thông vận tải",
  BTNMT: "Bộ Tài nguyên và Môi trường",
  BLĐTBXH: "Bộ Lao động - Thương binh và Xã hội",
  BTTTT: "Bộ Thông tin và Truyền thông",
  BVHTTDL: "Bộ Văn hóa, Thể thao và Du lịch",
  BKHCN: "Bộ Khoa học và Công nghệ",
  BCA: "Bộ Công an",
  BQP: "Bộ Quốc phòng",
  BNG: "Bộ Ngoại giao",
  TTg: "Thủ tướng Chính phủ",
  CP: "Chính phủ",
};

/** Head words of body names and the letter each contributes to a code. */
const HEADS = "Sở|Bộ|Văn phòng|Ban|Cục|Chi cục|Tổng cục|Vụ|Viện|Trung tâm|Thanh tra|Ủy ban|Uỷ ban|Trường|Hội đồng";
export const BODY_IN_TEXT = new RegExp(`(?<![\\p{L}])(?:${HEADS})(?:\\s+(?:và|\\p{Lu}[\\p{L}]*|[\\p{Ll}]+)){1,8}`, "gu");
// BODY_IN_TEXT asked at one place, and its head words alone: a match can start only where a head
// word does, and a search for those is several times quicker than the lookbehind tried at every place.
const BODY_AT = new RegExp(BODY_IN_TEXT.source, "uy");
const HEAD_WORD = new RegExp(HEADS, "gu");

/** The first match of BODY_IN_TEXT at or after `from`, as a global search from there finds it. */
export function nextBody(text: string, from: number): RegExpExecArray | null {
  HEAD_WORD.lastIndex = from;
  for (let head = HEAD_WORD.exec(text); head !== null; head = HEAD_WORD.exec(text)) {
    BODY_AT.lastIndex = head.index;
    const body = BODY_AT.exec(text);
    if (body) return body;
    // Another head word may start inside this one.
    HEAD_WORD.lastIndex = head.index + 1;
  }
  return null;
}

/** Initials of a body's name as symbol codes are made: "Sở Kế hoạch và Đầu tư" → "SKHĐT". */
export function initialsOf(name: string): string {
  return name
    .split(/[\s,-]+/)
    .filter((w) => w && w !== "và" && /\p{L}/u.test(w))
    .map((w) => (w[0] === "Đ" || w[0] === "đ" ? "Đ" : fold(w[0]!).toUpperCase()))
    .join("");
}

/**
 * initialsOf for one word of a BODY_IN_TEXT match: its words are letters only (no space, comma
 * or hyphen to split at), so the initials are the word's first letter, or none for "và".
 */
export function wordInitial(word: string): string {
  if (word === "và") return "";
  return word[0] === "Đ" || word[0] === "đ" ? "Đ" : fold(word[0]!).toUpperCase();
}

/** The body a code names, found in the letter's own words first. */
export function bodyForCode(code: string, text: string): string | null {
  const wanted = code.toUpperCase();
  // A letter names its own body early (header, lead-in); the first pages are enough to look in.
  const start = text.slice(0, 6000);
  for (let m = nextBody(start, 0); m !== null; m = nextBody(start, m.index + m[0].length)) {
    // The first word is a head word, whose initial is its first letter's: most bodies are given up here, unsplit.
    if (!wanted.startsWith(wordInitial(m[0][0]!))) continue;
    const words = m[0].split(/\s+/);
    // Try every prefix of the matched phrase: the name ends where its initials complete the code.
    // The words hold no spaces, so a prefix's initials are the initials of its words in turn:
    // built word by word, and given up once they stop being the start of the code.
    let initials = wordInitial(words[0]!);
    for (let n = 2; n <= words.length && wanted.startsWith(initials); n++) {
      const word = words[n - 1]!;
      initials += wordInitial(word);
      if (initials === wanted && word !== "và") return words.slice(0, n).join(" ");
    }
  }
  const known = Object.entries(KNOWN_CODES).find(([k]) => k.toUpperCase() === wanted);
  return known ? known[1] : null;
}

/** The issuer's code inside a symbol: "SCT-VP" (công văn) → SCT; "TB-SKHĐT", "QĐ-UBND" → SKHĐT, UBND. */
export function issuerCodeOf(symbol: string, hasTypeCode: boolean): string | null {
  const parts = symbol.replace(/^\d{4}\//, "").split(/[-/]/).filter(Boolean);
  const code = hasTypeCode ? parts[1] : parts[0];
  return code ?? null;
}
