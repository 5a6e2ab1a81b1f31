import { isLetterCode, isSpaceCode, moreWordsThan } from "../text/chars.ts";
import { fold, foldOnce } from "../text/normalize.ts";
import { allMatches } from "../text/regex.ts";
import { capitalizeFirst } from "../text/vietnamese.ts";

/**
 * Parties: the bodies and people a letter assigns work to. A party is a noun
 * phrase that starts with a body or office head word (Sở, Phòng, UBND,
 * Trung tâm, Thủ trưởng, Các ..., Lãnh đạo ...) and ends where the predicate
 * starts (a verb such as "tiếp tục", "chủ trì", "thực hiện").
 */

// Head words that open a party, on folded text. Words that are also verbs or
// common nouns are excluded by the lookaheads ("Tổ chức", "Phòng, chống",
// "Ban hành", "Báo cáo", "Trường hợp", "Bộ chỉ số").
const HEAD = new RegExp(
  "^(?:" +
    [
      "cac(?! (?:noi dung|nhiem vu|giai phap|chi tieu|van ban|quy dinh|thu tuc|ho so|chinh sach|hoat dong|chuong trinh|ke hoach|de an|du an|muc tieu|tieu chi|chi so|mo hinh|y kien|kien nghi|chu truong|bien phap|cong trinh|linh vuc)(?![a-z]))",
      "moi (?:co quan|don vi|phong|tap the|ca nhan|can bo)",
      "toan (?:bo|the)",
      "tat ca",
      "lanh dao",
      "thu truong",
      "truong (?:phong|ban|khoa|doan|tram|nhom)",
      "pho (?:truong|giam doc|chu tich|chanh)",
      "giam doc",
      "chu tich",
      "chanh (?:van phong|thanh tra)",
      "chu dau tu",
      "so(?! (?:lieu|luong|hoa|ho so))",
      "bo(?! (?:phan mot cua|chi so|tieu chi|may|ho so|luat))",
      "bo phan",
      "ban(?! (?:hanh|giao|ve))",
      "phong(?![, ]+chong)",
      "van phong",
      "trung tam",
      "ubnd",
      "uy ban",
      "hdnd",
      "hoi dong(?! (?:thi|xet))",
      "cuc",
      "chi cuc",
      "tong cuc",
      "vu(?! (?:viec|an))",
      "vien(?! chuc)",
      "thanh tra(?![,])",
      "cong an",
      "dai(?! (?:hoi|dien))",
      "bao (?!cao)",
      "lien doan",
      "lien minh",
      "hoi(?! (?:nghi|thao|dong|vien))",
      "tinh doan",
      "doan (?:thanh nien|tncs)",
      "tinh uy",
      "huyen uy",
      "thanh uy",
      "dang uy",
      "cap uy",
      "cong ty",
      "tong cong ty",
      "truong(?! hop)",
      "khoa(?! hoc)",
      "benh vien",
      "kho bac",
      "ngan hang",
      "co quan(?! (?:hanh chinh|nha nuoc))",
      "don vi",
      "to (?:cong tac|giup viec|kiem tra|chuyen vien)",
      "hat kiem lam",
      "chi nhanh",
      "quy (?!trinh|dinh|che)",
      "hoc vien",
      "sinh vien",
      "can bo",
      "cong chuc",
      "nguoi dung dau",
      "hieu truong",
      "bi thu",
      "chi bo",
      "mat tran",
      "mttq",
      "kiem toan",
      "toa an",
      "vien kiem sat",
      "bo chi huy",
      "bql",
      "cong thong tin",
      "thuong truc",
      "thanh vien",
    ].join("|") +
    ")(?![a-z])",
);

// Where a party's name ends and the predicate begins: a verb in lower case (a
// capitalised "Tổng hợp" is part of a name), "(" or ":", a sentence end, or a
// dash glued to the next word ("... và địa phương -Thời gian"). After a plural
// marker ("các tổ chức", "những đơn vị") the word is a noun, not a verb.
const PREDICATES = [
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
const PLURAL_MARKERS = new Set(["các", "những", "mỗi", "Các", "Những", "Mỗi"]);
/** Predicate words that are the second half of an adjective after these words: "sự nghiệp công lập". */
const NOT_A_VERB_AFTER = new Map([["lập", new Set(["công", "độc", "tư"])]]);

/** Index in `text` (searching from `from`) where a party's name ends, or -1. */
function predicateIndex(text: string, from: number): number {
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
    const wordEnd = nextBoundary(text, i + 1);
    if (wordEnd === i + 1) continue; // no word after the space: no predicate starts here
    const word = text.slice(i + 1, wordEnd);
    const candidates = PREDICATES_BY_FIRST_WORD.get(word);
    if (!candidates || PLURAL_MARKERS.has(previousWord(text, i))) continue;
    if (NOT_A_VERB_AFTER.get(word)?.has(previousWord(text, i).toLowerCase())) continue;
    for (const p of candidates) {
      const after = i + 1 + p.length;
      if (text.startsWith(p, i + 1) && (after >= n || !isLetterCode(text.charCodeAt(after)))) return i;
    }
  }
  return -1;
}

/**
 * A colon inside a party that introduces its members: "Chủ tịch UBND các huyện: Bình Sơn, Sơn Tịnh
 * và thị xã Đức Phổ" (a plural group, then names in capitals) names parties, not a predicate.
 */
function listColon(text: string, at: number): boolean {
  return /(?:^|\s)các(?:\s+\p{L}+){1,2}\s*$/u.test(text.slice(Math.max(0, at - 30), at)) && /^:\s*\p{Lu}/u.test(text.slice(at, at + 4));
}

function nextBoundary(text: string, from: number): number {
  let j = from;
  while (j < text.length && isLetterCode(text.charCodeAt(j))) j++;
  return j;
}

function previousWord(text: string, spaceAt: number): string {
  let j = spaceAt;
  while (j > 0 && !isSpaceCode(text.charCodeAt(j - 1))) j--;
  return text.slice(j, spaceAt);
}

const MAX_WORDS = 30;
const LONE_DASH = /\s[-–](?=\s)/gu;

/** A party phrase starting exactly at `from` in `text`, or null when no party starts there. */
export function partyAt(text: string, from = 0): { phrase: string; end: number } | null {
  // Party names are short: a bounded window keeps repeated calls linear in the text.
  const rest = text.slice(from, from + 240);
  // Every head word (the longest, "vien kiem sat", "tong cong ty") fits in the first 24 characters.
  if (!/^[\p{L}]/u.test(rest) || !HEAD.test(fold(rest.slice(0, 24)))) return null;
  // The head word always belongs to the name ("Ban quản lý", "Ban tổ chức"): look for the predicate after it.
  const stop = predicateIndex(rest, /^\S+\s?/u.exec(rest)![0].length);
  // A semicolon ends a party: a list of parties puts it between them ("A; B; C chịu trách nhiệm").
  const semicolon = rest.indexOf(";");
  let end = stop >= 0 ? stop : rest.length;
  if (semicolon > 0 && semicolon < end) end = semicolon;
  let phrase = rest.slice(0, end);
  // A dash between words ("chính trị - xã hội") is no word: counted as one, the cut fell inside a name.
  if (moreWordsThan(phrase, MAX_WORDS) && moreWordsThan(phrase.replace(LONE_DASH, ""), MAX_WORDS)) {
    const words = phrase.split(/\s+/);
    let kept = 0;
    let i = 0;
    for (; i < words.length && kept < MAX_WORDS; i++) if (!/^[-–]$/u.test(words[i]!)) kept++;
    phrase = words.slice(0, i).join(" ");
    end = phrase.length;
  }
  phrase = phrase.replace(/[\s,;\-–]+$/u, "");
  if (!phrase) return null;
  return { phrase, end: from + end };
}

// Split points inside a list of parties: ";", or "," / "và" before another party's head word.
const LIST_SPLIT_HEAD =
  /^(?:cac|ubnd|uy ban|so|ban|phong|van phong|trung tam|lien doan|cong ty|thu truong|chu tich|giam doc|lanh dao|dai|bo|cuc|chi cuc|hoi|don vi|dia phuong|co quan|truong|khoa|toan bo|mttq|mat tran|tinh doan|thanh tra|cong an)(?![a-z])/;

/** LIST_SPLIT_HEAD reads at most this many characters (its longest word and the character after it). */
const LIST_SPLIT_HEAD_SPAN = 12;

/** "A; B, Các C và D" → ["A", "B", "Các C", "D"]: splits a list of parties, keeping names that contain commas or "và". */
export function splitParties(phrase: string): string[] {
  const out: string[] = [];
  // Most phrases name one party: the splitting patterns run only where their separators occur.
  for (const part of phrase.includes(";") ? phrase.split(/\s*;\s*/) : [phrase]) {
    // "Các phòng: A, B, C" and "Giám đốc: A, B" list the parties after the colon.
    const colon = part.includes(":") ? /^([^:]{2,40}):\s*(.+)$/u.exec(part) : null;
    if (colon && /,/.test(colon[2]!)) {
      out.push(...splitOnCapitalCommas(colon[2]!));
      continue;
    }
    let current = "";
    const tokens = part.includes(",") || part.includes("và") ? part.split(/(\s*,\s*|\s+và\s+)/u) : [part];
    for (let i = 0; i < tokens.length; i += 2) {
      const piece = tokens[i]!;
      const sep = tokens[i - 1];
      if (current && sep !== undefined && startsParty(piece, sep)) {
        out.push(current);
        current = piece;
      } else {
        current = current ? current + (sep ?? " ") + piece : piece;
      }
    }
    if (current) out.push(current);
  }
  return out.map(tidyParty).filter((p) => p.length > 1);
}

/** Whether a piece after a list separator opens another party rather than continuing a name. */
function startsParty(piece: string, sep: string): boolean {
  return LIST_SPLIT_HEAD.test(fold(piece.slice(0, LIST_SPLIT_HEAD_SPAN))) && (/và/u.test(sep) || /^(?:\p{Lu}|các\s)/u.test(piece));
}

function splitOnCapitalCommas(list: string): string[] {
  const out: string[] = [];
  for (const piece of list.split(/\s*,\s*/)) {
    if (out.length && !/^\p{Lu}/u.test(piece)) out[out.length - 1] += `, ${piece}`;
    else out.push(piece);
  }
  return out;
}

export function tidyParty(p: string): string {
  return capitalizeFirst(p.replace(/^(?:và|cùng|với)\s+/u, "").replace(/[\s.,;:\-–]+$/u, "").trim());
}

// Openers that put the assignee right after them: "Giao Văn phòng Sở ...", "Đề nghị Liên đoàn ...".
const OPENER = /^(?:giao(?:\s+trach nhiem)?(?:\s+cho)?|de nghi|yeu cau|chi dao|doi voi|rieng)\s+/;
// A topic before a colon: "Về giải quyết hồ sơ: Giao Trưởng phòng ...", "Đối với ...(...): Các phòng ...";
// or a step of a procedure: "Bước 2: Phòng Đào tạo ...", "Giai đoạn 1. Các khoa ...".
const TOPIC = /^(?:(?:ve|doi voi|rieng)\s[^:]{3,200}:|(?:buoc|giai doan)\s*\d{1,2}\s*[:.])\s*/;

/**
 * The parties named at the start of an item, or the party that "chủ trì" in it.
 * `folded` is fold(text) when the caller has it (an item's text is folded once for all its tests).
 */
export function assigneesAtStart(text: string, folded?: string): string[] {
  let from = 0;
  // Openers and topics sit in the first few hundred characters; folding only those keeps this cheap.
  const head = folded !== undefined ? folded.slice(0, 240) : foldOnce(text.slice(0, 240));
  const topic = TOPIC.exec(head);
  if (topic) from = topic[0].length;
  let rest = head.slice(from);
  // "Giao Giám đốc: Sở A, Sở B, Đài C phối hợp ..." – the list after the colon.
  const opener = OPENER.exec(rest);
  if (opener) {
    from += opener[0].length;
    rest = rest.slice(opener[0].length);
    const colonList = /^(giam doc|thu truong|chu tich|lanh dao)\s*:\s*/.exec(rest);
    if (colonList) {
      const listStart = from + colonList[0].length;
      const listed = partyList(text, listStart);
      if (listed.length) return listed;
    }
  }
  const listed = partyList(text, from);
  if (listed.length) return listed;
  return chairing(text, folded);
}

/** A run of parties from `from`: "A, B và C phối hợp ..." → [A, B, C]. */
function partyList(text: string, from: number): string[] {
  const first = partyAt(text, from);
  if (!first) return [];
  const parts = [first.phrase];
  // Further parties joined by "," or ";" before the predicate: "Trung tâm A, Trung tâm B tăng cường ...".
  let end = first.end;
  for (;;) {
    const sep = /^\s*[,;]\s*|^\s+và\s+/u.exec(text.slice(end));
    if (!sep) break;
    const next = partyAt(text, end + sep[0].length);
    if (!next) break;
    parts.push(next.phrase);
    end = next.end;
  }
  return parts.flatMap(splitParties);
}

/** "Trên cơ sở ..., Sở Tài chính chủ trì, phối hợp với ..." → ["Sở Tài chính"]. */
export function chairing(text: string, foldedText?: string): string[] {
  const folded = foldedText !== undefined ? foldedText.slice(0, 400) : foldOnce(text.slice(0, 400));
  if (!folded.includes("chu tri")) return [];
  const m = /(?:^|[,;:]\s*|\s)([^,;:]{3,120}?)\s+chu tri(?![a-z])/.exec(folded);
  if (!m) return [];
  const start = m.index + m[0].indexOf(m[1]!);
  // The party is the tail of the clause that ends at "chủ trì": find the last head word in it.
  const clause = text.slice(start, start + m[1]!.length);
  const words = clause.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const candidate = words.slice(i).join(" ");
    if (HEAD.test(fold(candidate)) && /^\p{Lu}/u.test(candidate)) return splitParties(candidate);
  }
  return [];
}

// "phối hợp với Y", "phối hợp Y", "cùng với Y".
const COLLABORATION = /(?:phoi hop(?:\s+chat che)?(?:\s+voi)?|cung voi)\s+/g;

/** Parties named after "phối hợp (với)" in the item; `folded` is fold(text) when the caller has it. */
export function collaboratorsIn(text: string, folded = fold(text)): string[] {
  if (!folded.includes("phoi hop") && !folded.includes("cung voi")) return [];
  const out: string[] = [];
  for (const m of allMatches(COLLABORATION, folded)) {
    let from = m.index + m[0].length;
    // "phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư, ..." – the list after the colon.
    const colon = /^cac (?:so|bo|co quan|don vi|phong)\s*:\s*/.exec(folded.slice(from));
    if (colon) {
      const end = listEnd(text, from + colon[0].length);
      out.push(...splitOnCapitalCommas(text.slice(from + colon[0].length, end)).flatMap((p) => splitParties(p)));
      continue;
    }
    const list = partyList(text, from);
    if (list.length) out.push(...list);
    from = 0;
  }
  return dedupe(out);
}

function listEnd(text: string, from: number): number {
  const rest = text.slice(from);
  const stop = predicateIndex(rest, 0);
  return from + (stop >= 0 ? stop : rest.length);
}

export function dedupe(parties: string[]): string[] {
  const seen = new Set<string>();
  return parties.filter((p) => {
    const key = fold(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The party a lead-in sentence hands the list to: "Lãnh đạo Sở yêu cầu Trưởng
 * các phòng thuộc Sở thực hiện tốt các nhiệm vụ sau:" → ["Trưởng các phòng thuộc Sở"].
 */
export function leadInParties(text: string): string[] {
  const folded = fold(text);
  const verbs = [...folded.matchAll(/(?:yeu cau|de nghi|chi dao|quan triet|giao|dong chi [^,]{0,40}? de nghi)(?:,\s*(?:quan triet|chi dao|yeu cau))?\s+/g)];
  for (let i = verbs.length - 1; i >= 0; i--) {
    const v = verbs[i]!;
    const parties = partyList(text, v.index + v[0].length);
    if (parties.length) return parties;
  }
  // "Lãnh đạo Sở chỉ đạo các Phòng ban chuyên môn thực hiện ..." is covered above; a sentence that starts with its party:
  return partyList(text, 0);
}

/** "..., nếu có vướng mắc đề nghị các đơn vị, địa phương báo cáo ...": the party an assigning verb addresses. */
export function addressedParties(text: string): string[] {
  if (!text.includes("đề nghị") && !text.includes("yêu cầu") && !text.includes("giao")) return [];
  const m = /(?<![\p{L}])(?:đề nghị|yêu cầu|giao)\s+(?:cho\s+)?(?=các\s|Các\s|\p{Lu})/u.exec(text);
  return m ? partyList(text, m.index + m[0].length) : [];
}

/** The first party named anywhere in a sentence: "Nội dung ... đề xuất các Phòng chuyên môn gửi về ..." */
export function firstPartyIn(text: string): string[] {
  const re = /(?<![\p{L}])(?:các|Các|\p{Lu})/gu;
  for (const m of text.matchAll(re)) {
    if (m.index === 0) continue;
    const party = partyAt(text, m.index);
    if (party && party.phrase.split(/\s+/).length >= 2) return splitParties(party.phrase);
  }
  return [];
}

// A sentence that opens with a condition or a time ("Trong quá trình thực hiện, nếu có vướng mắc, ...",
// "Khi có yêu cầu, ...") has its subject after that clause.
// Matched with diacritics: "Nêu ..." (set out) is no "Nếu" (if).
const OPENING_CLAUSE = /^(?:trong quá trình|nếu|khi|trường hợp|sau khi|trước khi)\s/iu;

/** "Trong quá trình thực hiện nếu có vướng mắc, các đơn vị gửi ý kiến về ..." → ["Các đơn vị"]. */
export function subjectAfterClause(text: string): string[] {
  const head = text.slice(0, 240);
  if (!OPENING_CLAUSE.test(head)) return [];
  // The clause may hold commas of its own: the party stands after one of them, before the sentence ends.
  for (const m of head.matchAll(/[,.;:]\s*/gu)) {
    if (m[0][0] !== ",") break;
    const parties = partyList(text, m.index + m[0].length);
    if (parties.length) return parties;
  }
  return [];
}
