import { isLetterCode, isSpaceCode } from "../text/chars.ts";

/**
 * The end of a party's name: where its predicate starts. partyAt walks every
 * party candidate's text with predicateIndex, so the walk tests character codes
 * and looks a word up only when its hash says it may open a predicate.
 */

// Where a party's name ends and the predicate begins: a verb in lower case (a
// capitalised "Tổng hợp" is part of a name), "(" or ":", a sentence end, or a
// dash glued to the next word ("... và địa phương -Thời gian"). After a plural
// marker ("các tổ chức", "những đơn vị") the word is a noun, not a verb.
export const PREDICATES: readonly string[] = [
  "tiếp tục", "có trách nhiệm", "chịu trách nhiệm", "chủ trì", "phối hợp", "thực hiện", "triển khai", "tổ chức",
  "tăng cường", "chủ động", "khẩn trương", "nghiêm túc", "thường xuyên", "theo dõi", "rà soát", "xây dựng",
  "tham mưu", "căn cứ", "cần", "phải", "kịp thời", "quán triệt", "đẩy mạnh", "nâng cao", "hướng dẫn", "kiểm tra",
  "báo cáo", "bố trí", "lập", "đề xuất", "nghiên cứu", "làm", "hoàn thành", "tiếp thu", "chỉ đạo", "đôn đốc",
  "giám sát", "cung cấp", "gửi", "trình", "xem xét", "phổ biến", "tuyên truyền", "sử dụng", "ban hành",
  "cập nhật", "đảm bảo", "bảo đảm", "quản lý", "phê duyệt", "ưu tiên", "được", "theo chức năng", "tham gia",
  "hỗ trợ", "rút kinh nghiệm", "thông báo", "tập trung", "sắp xếp", "thẩm định", "tổng hợp", "phân công",
  "đăng ký", "tiếp nhận", "xử lý", "giải quyết", "vận động", "phát động", "quan tâm", "khắc phục", "chấn chỉnh",
  "cử", "đã", "sẽ", "đồng thời", "kết hợp", "không", "chịu", "nhanh chóng", "điều chỉnh", "bổ sung", "sửa đổi",
  "thành lập", "đề nghị", "yêu cầu", "giao", "nhận", "trả lời", "nêu", "là", "ở", "như", "để", "nhằm", "đưa",
  "trong", "trên cơ sở", "tiến hành", "duy trì", "thực thi", "đánh giá", "quy định", "tích cực",
];
/** Predicates by their first word, longest first: a word lookup instead of a 110-way regex alternation. */
const PREDICATES_BY_FIRST_WORD = new Map<string, string[]>();
for (const p of PREDICATES) {
  const first = p.split(" ")[0]!;
  PREDICATES_BY_FIRST_WORD.set(first, [...(PREDICATES_BY_FIRST_WORD.get(first) ?? []), p].sort((a, b) => b.length - a.length));
}

/** A word's hash (its code units, mixed), kept to 16 bits: the walk computes it while it finds the word's end. */
const mixCode = (hash: number, code: number) => (Math.imul(hash, 31) + code) & 0xffff;
/**
 * Which 16-bit word hashes belong to a predicate's first word. A word whose hash is not marked
 * opens no predicate, so it needs no slice and no map lookup; a marked one (a first word, or the
 * rare word sharing its hash) is looked up as before.
 */
const FIRST_WORD_HASHES = new Uint8Array(0x10000);
for (const word of PREDICATES_BY_FIRST_WORD.keys()) {
  let hash = 0;
  for (let i = 0; i < word.length; i++) hash = mixCode(hash, word.charCodeAt(i));
  FIRST_WORD_HASHES[hash] = 1;
}
const PLURAL_MARKERS = new Set(["các", "những", "mỗi", "Các", "Những", "Mỗi"]);
/** Predicate words that are the second half of an adjective after these words: "sự nghiệp công lập". */
const NOT_A_VERB_AFTER = new Map([["lập", new Set(["công", "độc", "tư"])]]);

/** Index in `text` (searching from `from`) where a party's name ends, or -1. */
export function predicateIndex(text: string, from: number): number {
  // Walks character codes with table tests: this loop runs over every party candidate's text.
  const n = text.length;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 /* ( */ || (c === 0x3a /* : */ && !listColon(text, i))) return i;
    if ((c === 0x2e /* . */ || c === 0x21 /* ! */ || c === 0x3f /* ? */) && (i + 1 === n || isSpaceCode(text.charCodeAt(i + 1)))) return i;
    if (!isSpaceCode(c)) continue;
    const next = text.charCodeAt(i + 1);
    if (next === 0x3a || next === 0x28) return i;
    if ((next === 0x2d /* - */ || next === 0x2013 /* – */) && i + 2 < n && !isSpaceCode(text.charCodeAt(i + 2))) return i;
    let wordEnd = i + 1;
    let hash = 0;
    for (let code = next; wordEnd < n && isLetterCode(code); code = text.charCodeAt(++wordEnd)) hash = mixCode(hash, code);
    if (wordEnd === i + 1) continue; // no word after the space: no predicate starts here
    if (FIRST_WORD_HASHES[hash] && predicateAt(text, i, wordEnd)) return i;
    // The word's letters end nothing (no bracket, colon, stop or space among them): go on after it.
    i = wordEnd - 1;
  }
  return -1;
}

/** Whether a predicate starts after the space at `spaceAt`, whose first word ends at `wordEnd`. */
function predicateAt(text: string, spaceAt: number, wordEnd: number): boolean {
  const word = text.slice(spaceAt + 1, wordEnd);
  const candidates = PREDICATES_BY_FIRST_WORD.get(word);
  if (!candidates || PLURAL_MARKERS.has(previousWord(text, spaceAt))) return false;
  if (NOT_A_VERB_AFTER.get(word)?.has(previousWord(text, spaceAt).toLowerCase())) return false;
  for (const p of candidates) {
    const after = spaceAt + 1 + p.length;
    if (text.startsWith(p, spaceAt + 1) && (after >= text.length || !isLetterCode(text.charCodeAt(after)))) return true;
  }
  return false;
}

/**
 * A colon inside a party that introduces its members: "Chủ tịch UBND các huyện: Bình Sơn, Sơn Tịnh
 * và thị xã Đức Phổ" (a plural group, then names in capitals) names parties, not a predicate.
 */
function listColon(text: string, at: number): boolean {
  return /(?:^|\s)các(?:\s+\p{L}+){1,2}\s*$/u.test(text.slice(Math.max(0, at - 30), at)) && /^:\s*\p{Lu}/u.test(text.slice(at, at + 4));
}

function previousWord(text: string, spaceAt: number): string {
  let j = spaceAt;
  while (j > 0 && !isSpaceCode(text.charCodeAt(j - 1))) j--;
  return text.slice(j, spaceAt);
}
