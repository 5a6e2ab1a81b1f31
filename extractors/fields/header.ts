import type { DocumentType } from "../../schemas/extraction.ts";
import type { Block, Line, TextModel } from "../model.ts";
import { spanInBlock } from "../model.ts";
import { cleanValue, fold } from "../text/normalize.ts";
import { allMatches } from "../text/regex.ts";
import { trimEndSpacesAndStops } from "../text/chars.ts";
import { capitalizeFirst, isAllCaps, nameCase } from "../text/vietnamese.ts";
import { findDates } from "./dates.ts";
import { typeFromName, typeFromSymbol, TYPE_NAMES_FOLDED } from "./doctypes.ts";
import { bodyForCode, issuerCodeOf } from "./bodies.ts";
import { found, notFound, type Found } from "./found.ts";
import type { Regions } from "./regions.ts";

export interface HeaderFields {
  type: Found<DocumentType>;
  number: Found<string | null>;
  symbol: Found<string | null>;
  issuer: Found<string | null>;
  issuerParent: Found<string | null>;
  place: Found<string | null>;
  date: Found<string | null>;
  subject: Found<string | null>;
}

interface LineRef {
  line: Line;
  block: Block;
  offset: number; // offset of the line inside block.text
}

// "Số: 526/VP-HCTC", "Số: TB-SKHĐT" (number left blank), "Số:   /TB-UBND", "Số 01-NQ/TU", "Số: 08/2018/NĐ-CP".
const NUMBER_LINE =
  /(?:^|\s)Số\s*[:.]?\s*(?<number>\d{1,6}[a-zA-Z]?)?\s*(?<sep>[/-])?\s*(?<symbol>(?:\d{4}\s*\/\s*)?[\p{Lu}Đ][\p{L}\p{N}.&]*(?:\s?[-/]\s?[\p{L}\p{N}.&]+)*)/u;
// The date line: "Quảng Trị, ngày 28 tháng 9 năm 2018"; the place is the capitalised run
// before the comma, read backwards by trimPlace (a regex for the run backtracks badly on long lines).
const DATE_LINE = /,\s*ngày\s*(?:\d{1,2})?\s*tháng/u;
const SUBJECT_START = /(?:^|\s)(?:V\/v|V\/V|v\/v|Về việc|VỀ VIỆC)\s*[:.]?\s*/u;
// Quốc hiệu, tiêu ngữ and rules, matched on folded text so HÒA/HOÀ and any capitalisation match.
const QUOC_HIEU_FOLDED = /cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam|doc\s+lap\s*[-–]\s*tu\s+do\s*[-–]\s*hanh\s+phuc|dang\s+cong\s+san\s+viet\s+nam|-{3,}|_{3,}|={3,}/g;

/** The text with Quốc hiệu, tiêu ngữ and rule lines blanked out (same length, so offsets hold). */
function blankQuocHieu(text: string): string {
  let out = text;
  for (const m of allMatches(QUOC_HIEU_FOLDED, fold(text))) {
    out = out.slice(0, m.index) + " ".repeat(m[0].length) + out.slice(m.index + m[0].length);
  }
  return out;
}

export function extractHeader(model: TextModel, regions: Regions): HeaderFields {
  const headerEnd = Math.max(regions.recipients >= 0 ? regions.recipients + 1 : 0, regions.bodyStart);
  const blocks = model.blocks.slice(0, Math.max(headerEnd, 1));
  const lines: LineRef[] = blocks.flatMap((block) => block.lines.map((line, i) => ({ line, block, offset: block.lineOffsets[i]! })));
  const span = (ref: LineRef, from: number, to: number) => spanInBlock(ref.block, ref.offset + from, ref.offset + to);

  // Whether any line is a number line or a date line: learnt from the two searches below, which read
  // every line until they find theirs (and a line they stop at matched).
  let hasHeader = false;

  // Number and symbol.
  let number: Found<string | null> = notFound(null);
  let symbol: Found<string | null> = notFound(null);
  let numberLineIndex = -1;
  for (const [i, ref] of lines.entries()) {
    const m = NUMBER_LINE.exec(ref.line.text);
    if (!m?.groups) continue;
    hasHeader = true;
    const sym = m.groups.symbol!.replace(/\s+/g, "").replace(/[.]$/, "");
    if (!/\p{Lu}{2}/u.test(sym) && !/\p{Lu}.*[-/]/u.test(sym)) continue;
    const from = m.index + m[0].indexOf(m.groups.number ?? m.groups.symbol!);
    number = m.groups.number ? found(m.groups.number, 0.95, span(ref, from, from + m.groups.number.length)) : found(null, 0.8, span(ref, m.index, m.index + m[0].length));
    symbol = found(sym, 0.95, span(ref, m.index, m.index + m[0].length));
    numberLineIndex = i;
    break;
  }

  // Place and date.
  let place: Found<string | null> = notFound(null);
  let date: Found<string | null> = notFound(null);
  for (const ref of lines) {
    const m = DATE_LINE.exec(ref.line.text);
    if (!m) continue;
    hasHeader = true;
    const before = ref.line.text.slice(0, m.index);
    const placeText = trimPlace(before.slice(-80));
    if (!placeText) continue;
    const at = m.index - placeText.length;
    place = found(placeText, 0.9, span(ref, at, m.index));
    const d = findDates(ref.line.text.slice(m.index)).at(0);
    if (d) date = found(d.iso, 0.95, span(ref, m.index + d.index, m.index + d.end));
    break;
  }
  if (!date.value && !hasHeader) {
    // A re-published letter with no header: the first date near the top is its publication date.
    for (const ref of lines.slice(0, 6)) {
      const d = findDates(ref.line.text).at(0);
      if (d) {
        date = found(d.iso, 0.5, span(ref, d.index, d.end));
        break;
      }
    }
  }

  // Type: the type line (an all-caps type name), else the symbol's type code, else V/v → công văn.
  const typeLine = findTypeLine(lines);
  const subject = findSubject(lines, typeLine, hasHeader, span);
  let type: Found<DocumentType>;
  if (typeLine) type = found(typeLine.type, 0.95, span(typeLine.ref, typeLine.from, typeLine.to));
  else if (symbol.value && typeFromSymbol(symbol.value)) type = found(typeFromSymbol(symbol.value)!, 0.85, symbol.span);
  else if (subject.viaVv || (symbol.value && number.value !== undefined && numberLineIndex >= 0)) type = found("cong_van", subject.viaVv ? 0.85 : 0.6, symbol.span);
  else type = notFound("unknown");

  const { issuer, issuerParent } = findIssuer(model, lines, numberLineIndex, symbol.value, type.value, place.value, subject.value, span);

  let subjectValue = subject.value;
  if (subjectValue && issuer.value) subjectValue = stripTrailingIssuer(subjectValue, issuer.value);
  return { type, number, symbol, issuer, issuerParent, place, date, subject: { ...subject, value: subjectValue } };
}

function trimPlace(raw: string): string | null {
  const words = cleanValue(raw).split(" ");
  // Keep only the capitalised run that ends at the comma: "Số: 435/QĐ-UBND Kon Tum" → "Kon Tum".
  const kept: string[] = [];
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i]!;
    if (/^(?:\p{Lu}[\p{Ll}.]*|[-–]|phố|xã|TP\.|Thành|thành|Thị|thị)$/u.test(w) && !/^(?:Số|V\/v)$/u.test(w)) kept.unshift(w);
    else break;
  }
  while (kept.length && /^[-–]$/.test(kept[0]!)) kept.shift();
  return kept.length ? kept.join(" ") : null;
}

interface TypeLine {
  type: DocumentType;
  ref: LineRef;
  from: number;
  to: number;
}

const TYPE_IN_CAPS = new RegExp(`(?<![a-z])(${TYPE_NAMES_FOLDED.join("|")})(?![a-z])`, "g");

/** The first all-caps type name in the header that is not a citation ("KẾ HOẠCH SỐ 119-KH/TU"). */
function findTypeLine(lines: LineRef[]): TypeLine | null {
  for (const ref of lines) {
    const text = ref.line.text;
    const folded = fold(text);
    for (const m of allMatches(TYPE_IN_CAPS, folded)) {
      const original = text.slice(m.index, m.index + m[0].length);
      if (!isAllCaps(original)) continue;
      if (/^\s*(?:so|số)\b/iu.test(folded.slice(m.index + m[0].length)) || /^\s*\d/.test(text.slice(m.index + m[0].length))) continue;
      if (/quoc hieu|cong hoa/.test(folded.slice(Math.max(0, m.index - 20), m.index))) continue;
      // "SỞ KẾ HOẠCH VÀ ĐẦU TƯ": a type word preceded by a capitalised word is part of a body's name.
      if (/[\p{Lu}Đ]{2,}[,]?\s+$/u.test(text.slice(0, m.index)) && !/\d\s+$/u.test(text.slice(0, m.index))) continue;
      const type = typeFromName(original);
      if (type && type !== "cong_van") return { type, ref, from: m.index, to: m.index + m[0].length };
    }
  }
  return null;
}

interface SubjectFound extends Found<string | null> {
  viaVv: boolean;
}

// Where a subject on the V/v line ends: "Kính gửi", or the place and date of the right-hand column.
const SUBJECT_END = /\s+(?:Kính gửi|\p{Lu}[\p{Ll}]+(?: \p{Lu}[\p{Ll}]+)*, ngày)/u;
const STOPS_SUBJECT = /^(?:Kính gửi|Căn cứ|Số\s*[:.]|CỘNG H|Độc lập|[-_=]{3,})|,\s*ngày\s*\d{0,2}\s*tháng/u;

function findSubject(
  lines: LineRef[],
  typeLine: TypeLine | null,
  hasHeader: boolean,
  span: (ref: LineRef, from: number, to: number) => ReturnType<typeof spanInBlock>,
): SubjectFound {
  // 1. "V/v ..." / "Về việc ...", running over the lines that follow it in the same block.
  for (const [i, ref] of lines.entries()) {
    const m = SUBJECT_START.exec(ref.line.text);
    if (!m) continue;
    let text = ref.line.text.slice(m.index + m[0].length);
    // What split(...)[0] keeps: the text before the first match.
    const end = SUBJECT_END.exec(text);
    if (end) text = text.slice(0, end.index);
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.block !== ref.block || STOPS_SUBJECT.test(next.line.text)) break;
      text += " " + next.line.text;
    }
    return { ...found(cleanSubject(text), 0.9, span(ref, m.index, m.index + m[0].length + text.length)), viaVv: true };
  }
  // 2. The line(s) after the type line: "THÔNG BÁO" / "Kết luận của ...".
  if (typeLine) {
    const rest = typeLine.ref.line.text.slice(typeLine.to).trim();
    if (rest.length > 8) return { ...found(cleanSubject(rest), 0.8, span(typeLine.ref, typeLine.to, typeLine.ref.line.text.length)), viaVv: false };
    const start = lines.indexOf(typeLine.ref) + 1;
    let text = "";
    let first: LineRef | null = null;
    for (let j = start; j < lines.length; j++) {
      const next = lines[j]!;
      if (STOPS_SUBJECT.test(next.line.text) || (first && next.block !== first.block)) break;
      first ??= next;
      text += (text ? " " : "") + next.line.text;
    }
    if (first && text) return { ...found(cleanSubject(text), 0.8, span(first, 0, text.length)), viaVv: false };
  }
  // 3. A re-published letter with no header: its title (the first paragraph, however it wraps).
  const title = lines[0]?.block.text ?? "";
  if (!hasHeader && lines[0] && title.length < 400 && !/[.;:]$/.test(title)) {
    return { ...found(cleanSubject(title), 0.5, span(lines[0], 0, title.length)), viaVv: false };
  }
  if (!hasHeader && lines[0] && lines[0].line.text.length < 300) {
    return { ...found(cleanSubject(lines[0].line.text), 0.5, span(lines[0], 0, lines[0].line.text.length)), viaVv: false };
  }
  return { ...notFound(null), viaVv: false };
}

function cleanSubject(raw: string): string {
  let s = trimEndSpacesAndStops(cleanValue(blankQuocHieu(raw)));
  if (isAllCaps(s)) s = nameCase(s);
  return s;
}

/** A decision's subject runs into the enacting body's name ("... MỚI” ỦY BAN NHÂN DÂN TỈNH KON TUM"). */
function stripTrailingIssuer(subject: string, issuer: string): string {
  const f = fold(subject);
  const i = fold(issuer);
  if (f.endsWith(i) && f.length > i.length + 10) return subject.slice(0, subject.length - issuer.length).trim();
  return subject;
}

const NUMBER_WORD = /(?:^|\s)Số\s*[:.]?/u;
// Two or more capitalised words (or numbers) in a row: a level of the issuer's column.
const CAPITAL_RUN = /(?:(?<![\p{L}\p{N}/-])[\p{Lu}Đ\d][\p{Lu}Đ\d.]*(?:\s+|$)){2,}/gu;
const TWO_UPPER = /\p{Lu}{2}/u;
const NUMBER_OR_VV = /^(?:SỐ|V\/V)\b/u;
const ADMIN_CONTINUATION = /^(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|XÃ|PHƯỜNG|THỊ XÃ|THỊ TRẤN|TP\.|VÀ|CỦA)(?![\p{L}])/u;

function findIssuer(
  model: TextModel,
  lines: LineRef[],
  numberLineIndex: number,
  symbol: string | null,
  type: DocumentType,
  place: string | null,
  subject: string | null,
  span: (ref: LineRef, from: number, to: number) => ReturnType<typeof spanInBlock>,
): { issuer: Found<string | null>; issuerParent: Found<string | null> } {
  // The left column of the header: all-caps body names above the number line, Quốc hiệu removed.
  const levels: { text: string; ref: LineRef; from: number }[] = [];
  const until = numberLineIndex >= 0 ? numberLineIndex + 1 : Math.min(lines.length, 6);
  for (const [index, ref] of lines.slice(0, until).entries()) {
    let text = blankQuocHieu(ref.line.text);
    // On the number line only what stands before "Số" can be the issuer's column.
    if (index === numberLineIndex) text = text.slice(0, Math.max(0, text.search(NUMBER_WORD)));
    for (const m of allMatches(CAPITAL_RUN, text)) {
      const run = m[0].trim();
      if (!TWO_UPPER.test(run) || NUMBER_OR_VV.test(run) || typeFromName(run)) continue;
      if (/^\d/.test(run)) continue;
      const last = levels[levels.length - 1];
      if (last && ADMIN_CONTINUATION.test(run)) {
        last.text += " " + run;
        continue;
      }
      levels.push({ text: run, ref, from: m.index });
    }
  }
  if (levels.length) {
    const top = levels[levels.length - 1]!;
    const issuer = found(nameCase(top.text), 0.85, span(top.ref, top.from, top.from + top.text.length));
    const parent = levels.length > 1 ? levels[levels.length - 2]! : null;
    return {
      issuer,
      issuerParent: parent ? found(nameCase(parent.text), 0.8, span(parent.ref, parent.from, parent.from + parent.text.length)) : found(null, 0.6, null),
    };
  }

  // No issuer in the header: the symbol's issuer code, named in the letter's own words or a table.
  const hasTypeCode = symbol ? typeFromSymbol(symbol) !== null : false;
  const code = symbol ? issuerCodeOf(symbol, hasTypeCode) : null;
  let name = code ? bodyForCode(code, model.text) : null;
  let confidence = 0.7;
  if (!name && subject) {
    // A re-published letter: the body its title names ("Sở Công Thương tăng cường ...").
    const m = /^(?:Sở|Bộ|UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Văn phòng|Ban)(?:\s+(?:và|\p{Lu}[\p{Ll}]*))+/u.exec(subject);
    if (m) {
      name = m[0];
      confidence = 0.5;
    }
  }
  if (!name) return { issuer: notFound(null), issuerParent: notFound(null) };
  return { issuer: found(name, confidence, null), issuerParent: inferParent(name, place, model.text) };
}

/** A provincial department (Sở) answers to the province's People's Committee. */
function inferParent(issuer: string, place: string | null, text: string): Found<string | null> {
  if (!/^Sở(?![\p{L}])/u.test(issuer)) return found(null, 0.5, null);
  let province = place;
  if (!province) {
    // The province the letter names most often ("tỉnh Bình Định").
    const counts = new Map<string, number>();
    for (const m of text.matchAll(/(?<![\p{L}])tỉnh((?:\s+\p{Lu}[\p{Ll}]*){1,3})/gu)) {
      const p = m[1]!.trim();
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    province = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }
  if (!province) return found(null, 0.4, null);
  const city = /^(?:TP\.|Thành phố)\s*/iu.test(province);
  return found(city ? `UBND ${capitalizeFirst(province)}` : `UBND tỉnh ${province}`, 0.6, null);
}
