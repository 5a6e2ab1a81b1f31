import { moreWordsThan, trimEndOf } from "../text/chars.ts";
import { fold, foldOnce } from "../text/normalize.ts";
import { allMatches } from "../text/regex.ts";
import { capitalizeFirst } from "../text/vietnamese.ts";
import { firstWordAndSpace, listSeparatorLength, PARTY_TAIL, splitListSeparators, startsWithLetter, TIDY_TAIL } from "./party-chars.ts";
import { sameFold } from "./folded.ts";
import { predicateIndex } from "./predicates.ts";

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

const MAX_WORDS = 30;
const LONE_DASH = /\s[-–](?=\s)/gu;

/** A party phrase starting exactly at `from` in `text`, or null when no party starts there. */
export function partyAt(text: string, from = 0, folded?: string): { phrase: string; end: number } | null {
  // Party names are short: a bounded window keeps repeated calls linear in the text.
  const rest = text.slice(from, from + 240);
  if (!startsWithLetter(rest) || !HEAD.test(headWindow(rest, from, folded))) return null;
  // The head word always belongs to the name ("Ban quản lý", "Ban tổ chức"): look for the predicate after it.
  const stop = predicateIndex(rest, firstWordAndSpace(rest));
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
  phrase = trimEndOf(phrase, PARTY_TAIL);
  if (!phrase) return null;
  return { phrase, end: from + end };
}

/** Every head word (the longest, "vien kiem sat", "tong cong ty") fits in the first 24 characters. */
const HEAD_SPAN = 24;

/**
 * The folded start of a candidate (`rest` = text from `from`) that HEAD reads; `folded` is the fold
 * of the text or of a prefix of it, when the caller has one: then the window is a piece of it.
 */
function headWindow(rest: string, from: number, folded: string | undefined): string {
  const window = rest.slice(0, HEAD_SPAN);
  const end = from + window.length;
  return folded !== undefined && end <= folded.length ? sameFold(window, folded.slice(from, end)) : fold(window);
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
    const tokens = part.includes(",") || part.includes("và") ? splitListSeparators(part) : [part];
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
  // Only a piece that starts with "v" or "c" can start with a joining word.
  const first = p.charCodeAt(0);
  const joined = first === 0x76 || first === 0x63 ? p.replace(/^(?:và|cùng|với)\s+/u, "") : p;
  return capitalizeFirst(trimEndOf(joined, TIDY_TAIL).trim());
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
      const listed = partyList(text, listStart, folded ?? head);
      if (listed.length) return listed;
    }
  }
  const listed = partyList(text, from, folded ?? head);
  if (listed.length) return listed;
  return chairing(text, folded);
}

/** A run of parties from `from`: "A, B và C phối hợp ..." → [A, B, C]. */
function partyList(text: string, from: number, folded?: string): string[] {
  const first = partyAt(text, from, folded);
  if (!first) return [];
  const parts = [first.phrase];
  // Further parties joined by "," or ";" before the predicate: "Trung tâm A, Trung tâm B tăng cường ...".
  let end = first.end;
  for (;;) {
    const sep = listSeparatorLength(text, end);
    if (sep < 0) break;
    const next = partyAt(text, end + sep, folded);
    if (!next) break;
    parts.push(next.phrase);
    end = next.end;
  }
  if (parts.length === 1) return splitParties(parts[0]!);
  const out: string[] = [];
  for (const part of parts) out.push(...splitParties(part));
  return out;
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
    const list = partyList(text, from, folded);
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
    const parties = partyList(text, v.index + v[0].length, folded);
    if (parties.length) return parties;
  }
  // "Lãnh đạo Sở chỉ đạo các Phòng ban chuyên môn thực hiện ..." is covered above; a sentence that starts with its party:
  return partyList(text, 0, folded);
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
