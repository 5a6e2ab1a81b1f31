import type { DocumentType, Reference } from "../../schemas/extraction.ts";
import type { Block, TextModel } from "../model.ts";
import { spanInBlock } from "../model.ts";
import { fold } from "../text/normalize.ts";
import { allMatches } from "../text/regex.ts";
import { hasSpace, moreWordsThan, trimEndSpacesAndDashes } from "../text/chars.ts";
import { isAllCaps, nameCase } from "../text/vietnamese.ts";
import { dateAt } from "./dates.ts";
import { TYPE_NAMES, TYPE_NAMES_FOLDED, typeFromFoldedName, typeFromSymbol } from "./doctypes.ts";

/**
 * Citations of other documents that carry a number and symbol:
 * "Quyết định số 701/QĐ-UBND ngày 24/5/2023 của UBND tỉnh Lai Châu",
 * "Nghị định 08/2018/NĐ-CP", "Nghị quyết số 01-NQ/TU". A citation without a
 * number ("Kế hoạch CCHC hằng năm của UBND tỉnh") is not a reference.
 */

// Number, separator, symbol: 526/VP-HCTC, 08/2018/NĐ-CP, 01-NQ/TU, 37- CT/TW, 416/QĐ- TTg, 70/TCTCCTTHC.
const CITATION =
  /(?<![\p{L}\p{N}/.-])(\d{1,5}[a-z]?)\s?([-/])\s?((?:\d{4}\s?\/\s?)?[\p{L}][\p{L}\p{N}&]*(?:\s?[-/]\s?[\p{L}\p{N}&]+)*)/gu;

const KIND_BEFORE = new RegExp(
  `(?<![a-z])(${TYPE_NAMES_FOLDED.join("|")})(?:\\s+(?:hanh dong|lien tich|lien nganh))?\\s*(?:so\\s*)?[:]?\\s*$`,
);

// Where an issuer's name ends: a preposition or verb that starts the rest of the
// sentence, on the lower-cased text WITH diacritics ("số" is not "Sở", "từ" is not "tư").
const ISSUER_STOP = new RegExp(
  "\\s(?:" +
    [
      "về", "v/v", "ban hành", "quy định", "phê duyệt", "thực hiện", "triển khai", "tại", "trong", "đối với", "theo",
      "với", "nhằm", "để", "đã", "được", "sửa đổi", "hướng dẫn", "kết luận", "chỉ đạo", "giao", "đến", "cho", "gửi",
      "từ", "khi", "ngày", "số", "năm \\d", "đến", "quy chế", "công bố",
    ].join("|") +
    ")(?![\\p{L}])" +
    // "và" before another document or another body: "của UBND tỉnh và Kế hoạch số ...".
    `|\\svà\\s(?=(?:${TYPE_NAMES.join("|")}|các|ubnd|ủy ban|uỷ ban|văn phòng|sở|bộ|ban)(?![\\p{L}]))` +
    "|[;,.(“\"”:\\[]",
  "u",
);
const ORG_HEAD = /^(?:ubnd|uy ban|hdnd|hoi dong|so|bo|ban|van phong|tinh uy|thanh uy|huyen uy|chinh phu|thu tuong|chi uy|dang uy|cuc|tong cuc|vu|vien|to cong tac|bch|ban chap hanh|ban thuong vu|quoc hoi|uy ban thuong vu)(?![a-z])/;

const CITATION_IN_FOLDED = /\d{1,5}\s?[-/]\s?(?:\d{4}\s?\/\s?)?[a-z]{2,}/;

interface Citation extends Reference {
  issuerFrom: "of" | "before" | "clause" | null;
  index: number;
  end: number;
  block: Block;
}

export function extractReferences(model: TextModel, options: { ownNumber: string | null }): Reference[] {
  const own = options.ownNumber ? numberKey(options.ownNumber) : null;
  const ownSymbol = own?.split("|")[1] ?? null;
  const byNumber = new Map<string, Reference>();
  for (const block of model.blocks) {
    if (!mayCite(block.text)) continue;
    const folded = fold(block.text);
    const citations = citationsIn(block, folded);
    // "Công văn số 1047/... và Công văn số 1062/... của Sở Nội vụ": the issuer named once belongs to both.
    for (let i = citations.length - 2; i >= 0; i--) {
      const c = citations[i]!;
      const next = citations[i + 1]!;
      if (!c.issuer && next.issuerFrom === "of" && SHARED_GAP.test(folded.slice(c.end, next.index))) c.issuer = next.issuer;
    }
    // "tại Tờ trình số 33/... và Tờ trình số 42/...": an issuer named before the first serves the next.
    for (let i = 1; i < citations.length; i++) {
      const c = citations[i]!;
      const previous = citations[i - 1]!;
      if (!c.issuer && previous.issuerFrom === "before" && SHARED_GAP.test(folded.slice(previous.end, c.index))) c.issuer = previous.issuer;
    }
    for (const c of citations) {
      const key = c.number.toUpperCase();
      // Only a citation carrying the letter's own symbol can be the letter itself.
      const ownKey = own && ownSymbol && key.includes(ownSymbol) ? numberKey(c.number) : "";
      if (own && (ownKey === own || (own.startsWith("|") && ownKey.endsWith(own)))) continue;
      const known = byNumber.get(key);
      if (!known) {
        byNumber.set(key, { kind: c.kind, number: c.number, date: c.date, issuer: c.issuer, ...(c.span ? { span: c.span } : {}) });
        continue;
      }
      // A later mention may be the fuller one ("... 119-KH/TU ngày 18/12/2019 của Ban Thường vụ Tỉnh ủy").
      known.date ??= c.date;
      // A fuller name of the same body wins ("Tỉnh ủy" → "Ban Thường vụ Tỉnh ủy"), and so does running text over capitals.
      const fuller = c.issuer && known.issuer && c.issuer.length > known.issuer.length && fold(c.issuer).includes(fold(known.issuer));
      if (!known.issuer || fuller || (c.issuer && isAllCaps(known.issuer) && !isAllCaps(c.issuer))) known.issuer = c.issuer ?? known.issuer;
    }
  }
  return [...byNumber.values()];
}

const SPACES = /\s+/g;
/** The text without its spaces; most symbols have none, and are given back as they are. */
const compact = (s: string) => (hasSpace(s) ? s.replace(SPACES, "") : s);
/** "01-NQ/TU" and "01/NQ/TU" are one number: the separator after the number does not matter. */
const numberKey = (s: string) => compact(s).toUpperCase().replace(/^(\d*[A-Z]?)[-/|]/, "$1|");

// Every citation has a number and a separator before its symbol: a block without one cites nothing.
const MAY_CITE = /\d\s?[-/]\s?\p{L}/u;
/** MAY_CITE, asked only of a block with a separator in it: a search for one character is far cheaper than the pattern's scan. */
const mayCite = (text: string) => (text.includes("/") || text.includes("-")) && MAY_CITE.test(text);
// What may stand between two citations that share an issuer (folded): "," or "và" and a few words.
const SHARED_GAP = /^\s*(?:,|va)\s*[a-z ]{0,30}$/;
// Two capitals anywhere: a symbol's code ("QĐ", "UBND") has at least two.
const TWO_CAPITALS = /\p{Lu}[^]*\p{Lu}/u;

/** The citations in a block; `folded` is fold(block.text). */
function citationsIn(block: Block, folded: string): Citation[] {
  const text = block.text;
  const out: Citation[] = [];
  for (const m of allMatches(CITATION, text)) {
    const symbol = compact(m[3]!).replace(/[-/.]+$/, "");
    if (!TWO_CAPITALS.test(symbol)) continue;
    const number = `${m[1]}${m[2]}${symbol}`;
    const start = m.index;
    const end = start + m[0].length;
    const before = folded.slice(Math.max(0, start - 40), start);
    const kindMatch = KIND_BEFORE.exec(before);
    const named = kindMatch && kindMatch[1] !== "van ban" ? typeFromFoldedName(kindMatch[1]!) : null;
    const kind: DocumentType = named ?? typeFromSymbol(number) ?? "cong_van";
    const date = dateAt(text, end, 6);
    // A date too broken to read ("ngày 31/02/2021") is skipped so the issuer after it is still found.
    const afterDate = date ? date.end : end + (/^\s*,?\s*(?:ngày\s*)?\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}/u.exec(text.slice(end))?.[0].length ?? 0);
    const ofIssuer = issuerAfter(text, folded, afterDate);
    let issuer = ofIssuer;
    let issuerFrom: Citation["issuerFrom"] = ofIssuer ? "of" : null;
    if (!issuer) {
      issuer = issuerBefore(text, folded, start - (kindMatch?.[0].length ?? 0));
      issuerFrom = issuer ? "before" : null;
    }
    if (!issuer) {
      issuer = issuerAtClauseEnd(text, folded, afterDate);
      issuerFrom = issuer ? "clause" : null;
    }
    out.push({
      kind,
      number,
      date: date?.iso ?? null,
      issuer,
      issuerFrom,
      span: spanInBlock(block, start, end),
      index: start,
      end: afterDate,
      block,
    });
  }
  return out;
}

/** "... ngày 24/5/2023 của UBND tỉnh Lai Châu về việc ..." → "UBND tỉnh Lai Châu". */
function issuerAfter(text: string, folded: string, from: number): string | null {
  const m = /^\s*,?\s*(?:cua|do)\s+/.exec(folded.slice(from));
  if (!m) return null;
  return issuerPhrase(text, folded, from + m[0].length);
}

function issuerPhrase(text: string, _folded: string, from: number): string | null {
  const rest = text.slice(from, from + 160).toLowerCase();
  const stop = ISSUER_STOP.exec(rest);
  let raw = text.slice(from, from + (stop ? stop.index : rest.length)).trim();
  // Most phrases are a few words: split only one that must be cut.
  if (moreWordsThan(raw, 14)) raw = raw.split(/\s+/).slice(0, 14).join(" ");
  raw = trimEndSpacesAndDashes(raw);
  if (!raw || !STARTS_UPPER.test(raw)) return null;
  return isAllCaps(raw) ? nameCase(raw) : raw;
}

const STARTS_UPPER = /^\p{Lu}/u;
const TAI_BEFORE = /\s+(?:giao\s+|ban hanh\s+|neu\s+)?tai\s*$/;

/**
 * The issuer named just before the citation: "... của Tổ công tác ... tại Công văn số 70/...",
 * "đã được Tỉnh ủy giao tại Nghị quyết số 08-NQ/TU", "Xét đề nghị của Giám đốc Sở X tại Tờ trình số 33/...".
 */
function issuerBefore(text: string, folded: string, start: number): string | null {
  const windowStart = Math.max(0, start - 160);
  const window = folded.slice(windowStart, start);
  // The pattern ends with "tai" and spaces: a window that does not end so is not searched.
  const tai = window.trimEnd().endsWith("tai") ? TAI_BEFORE.exec(window) : null;
  if (!tai) return null;
  // The earliest "của|được|do" whose phrase up to "tại" names a body: "của Tổ công tác ... của Thủ tướng Chính phủ tại".
  for (const m of window.slice(0, tai.index).matchAll(/(?:^|\s)(?:cua|duoc|do)\s+/g)) {
    const from = windowStart + m.index + m[0].length;
    let raw = text.slice(from, windowStart + tai.index).trim();
    // "Giám đốc Sở X" proposes on behalf of Sở X: the document is the body's.
    const title = /^(?:giam doc|chu tich|thu truong|bo truong|truong ban|chanh van phong)\s+/.exec(fold(raw));
    if (title) raw = raw.slice(title[0].length);
    if (/^\p{Lu}/u.test(raw) && ORG_HEAD.test(fold(raw)) && raw.split(/\s+/).length <= 16) return raw;
  }
  return null;
}

/** "Kế hoạch số 100/KH-VP ngày 22/02/2022 về cải cách hành chính ... của Văn phòng UBND tỉnh;" */
function issuerAtClauseEnd(text: string, folded: string, from: number): string | null {
  const rest = folded.slice(from, from + 260);
  if (!/^\s*,?\s*ve\s/.test(rest)) return null;
  const clauseEnd = rest.search(/;|\.(?:\s|$)/);
  const clause = rest.slice(0, clauseEnd < 0 ? rest.length : clauseEnd);
  // Only a clause that cites nothing else, and a "của" that names the author, not "theo chỉ đạo của".
  if (CITATION_IN_FOLDED.test(clause)) return null;
  const ofs = [...clause.matchAll(/\scua\s+/g)];
  const last = ofs[ofs.length - 1];
  if (!last || /(?:chi dao|y kien|de nghi|yeu cau|phan cong)\s*$/.test(clause.slice(0, last.index))) return null;
  const at = from + last.index + last[0].length;
  const candidate = fold(text.slice(at, at + 30));
  if (!ORG_HEAD.test(candidate)) return null;
  const phrase = issuerPhrase(text, folded, at);
  return phrase && from + clause.length >= at ? phrase : null;
}
