import type { Task } from "../../schemas/extraction.ts";
import type { Block, TextModel } from "../model.ts";
import { blockSpan } from "../model.ts";
import { isSpaceCode, skipSpaces } from "../text/chars.ts";
import { fold } from "../text/normalize.ts";
import { buildOutline, flatten, foldedText, type OutlineNode } from "./outline.ts";
import { addressedParties, assigneesAtStart, collaboratorsIn, firstPartyIn, leadInParties, partyAt, splitParties, subjectAfterClause } from "./parties.ts";
import { deadlineIn, deadlinesIn } from "./deadlines.ts";
import { sameFold } from "./folded.ts";
import { placesOnly } from "./places.ts";
import type { Regions } from "./regions.ts";

/**
 * Tasks: the smallest numbered or bulleted items that ask someone to do
 * something, and unnumbered paragraphs that assign work ("Giao ...", a
 * deadline). Headings give their party to the items under them; a lead-in
 * sentence ("... yêu cầu các phòng thực hiện các nội dung sau:") gives the
 * default; "Cơ quan thực hiện:" lines give both assignee and collaborators to
 * the items they close.
 */

// Sections whose items describe rather than assign (ND 30 plans: Mục đích, yêu cầu; Đối tượng,
// phạm vi; Phương pháp, hình thức; Thời gian, địa điểm; reports: Kết quả).
const NON_TASK_SECTION =
  /^(?:muc dich|muc tieu|yeu cau(?!\s+(?:cac|thu truong|lanh dao|so|phong|ubnd|giam doc))|quan diem|ket qua|tinh hinh|danh gia|can cu|co so|dac diem|thuc trang|nhung ket qua|ve ket qua|kinh phi|nguon kinh phi|du toan|doi tuong|pham vi|phuong phap|hinh thuc|thoi gian(?:,| va) dia diem|dia diem)/;
// A decision's dispositive articles (Điều 1. Ban hành kèm theo ...; Quyết định này có hiệu lực ...).
const DISPOSITIVE = /^(?:ban hanh kem theo|phe duyet|bai bo|cong nhan|thanh lap|quyet dinh nay co hieu luc|quy dinh nay|ke hoach nay|sua doi|bo sung)/;
// Narrative openers: context, not assignment.
const NARRATIVE = /^(?:\[\d+\]|can cu|thuc hien|xet|theo|qua |nam \d|trong (?:nam|thoi gian)|tai cuoc hop|ngay \d|tren day|nhu vay|ben canh|tuy nhien|hien nay)/;
// Paragraph openers that assign work.
const ASSIGNING_OPENER = /^(?:giao|de nghi|yeu cau)\s/;

const THREE_WORDS = /\S+\s+\S+\s+\S/;
// The plan's "Cơ quan phối hợp:" line (ND 30 plans list chủ trì and phối hợp bodies per task).
const PARTNERS_LINE = /^(?:co quan|don vi|bo phan)\s+phoi hop\s*:/;
const metadataValue = (line: string) => line.replace(/^[^:]*:\s*/u, "");

interface Context {
  recipients: string[];
}

export function extractTasks(model: TextModel, regions: Regions, context: Context): Task[] {
  const letterBody = model.blocks.slice(regions.bodyStart, regions.bodyEnd);
  const attachment = regions.attachmentStart >= 0 ? model.blocks.slice(regions.attachmentStart) : [];
  return [...tasksOf(letterBody, context), ...tasksOf(attachment, context)];
}

function tasksOf(blocks: Block[], context: Context): Task[] {
  if (!blocks.length) return [];
  const roots = buildOutline(blocks);
  const nodes = flatten(roots);
  const tasks: Task[] = [];
  for (const node of nodes) {
    const task = node.label ? itemTask(node, nodes, context) : paragraphTask(node, nodes, context);
    if (task) tasks.push(task);
  }
  return tasks;
}

function itemTask(node: OutlineNode, nodes: OutlineNode[], context: Context): Task | null {
  if (node.children.some((c) => c.label)) return null; // a heading
  if (inNonTaskSection(node)) return null;
  // The item's text folded once: the tests below read pieces of it.
  const textFolded = foldedText(node);
  // A section ("I. Đánh giá chung", with paragraphs but no items) of a kind that describes is not a task either.
  if (node.label!.style === "roman" && NON_TASK_SECTION.test(sameFold(node.text.trim().slice(0, 40), textFolded.trim().slice(0, 40)))) return null;
  const folded = openingWords(node.text, textFolded);
  if (node.label!.style === "article" && DISPOSITIVE.test(folded)) return null;
  if (/^da\s/.test(folded) || !THREE_WORDS.test(node.text)) return null; // "Đã hoàn thành ...": a result
  if (placesOnly(node.text)) return null;

  const meta = groupMetadata(node);
  const [own, ownFolded] = ownText(node, textFolded);
  const named = metaParties(meta);
  let assignees = named.assignees.length ? [...named.assignees] : [];
  let collaborators = named.collaborators;
  let confidence = 0.9;
  if (!assignees.length) assignees = assigneesAtStart(own, ownFolded);
  // "..., nếu có vướng mắc đề nghị các đơn vị, địa phương báo cáo ...": the party the item addresses.
  if (!assignees.length) assignees = addressedParties(own);
  if (!assignees.length) assignees = subjectAfterClause(own);
  if (!assignees.length) {
    assignees = inheritedAssignees(node, nodes, context);
    confidence = assignees.length ? 0.75 : 0.4;
  }
  collaborators = distinctOthers([...collaborators, ...collaboratorsIn(own, ownFolded)], assignees);
  // Without metadata lines the text is the item's own, already folded.
  const deadline = meta.length ? deadlineIn([own, ...meta].join(" ")) : deadlineIn(own, {}, ownFolded);
  return {
    ref: node.ref,
    text: node.text.trim(),
    assignees,
    collaborators,
    deadline,
    confidence,
    span: spanOf(node.blocks),
  };
}

interface MetaParties {
  assignees: string[];
  collaborators: string[];
}

const NO_META: MetaParties = { assignees: [], collaborators: [] };
const metaCache = new WeakMap<string[], MetaParties>();

/**
 * "Cơ quan chủ trì: A" gives the assignee, "Cơ quan phối hợp: B, C" the collaborators. Memoised
 * per list of lines: every item of a group reads its closing lines (groupMetadata returns that list).
 * The lists belong to one outline, so a weak map lets its entries go with it.
 */
function metaParties(meta: string[]): MetaParties {
  if (!meta.length) return NO_META;
  let named = metaCache.get(meta);
  if (!named) {
    named = readMetaParties(meta);
    metaCache.set(meta, named);
  }
  return named;
}

function readMetaParties(meta: string[]): MetaParties {
  let assignees: string[] = [];
  let collaborators: string[] = [];
  // Each line folded once for both searches.
  const folded = meta.map((m) => fold(m));
  const partners = meta.find((m, i) => PARTNERS_LINE.test(folded[i]!));
  const responsible = meta.find((m, i) => m !== partners && /^(?:co quan|don vi|bo phan|trach nhiem)/.test(folded[i]!));
  if (responsible) {
    const value = metadataValue(responsible);
    assignees = assigneesAtStart(value);
    collaborators = collaboratorsIn(value);
  }
  if (partners) collaborators = [...collaborators, ...assigneesAtStart(metadataValue(partners))];
  return { assignees, collaborators };
}

/** `/:\s*$/u.test(text)`, read from the end instead of tried at every position. */
export function endsWithColon(text: string): boolean {
  const last = lastNonSpace(text);
  return last >= 0 && text.charCodeAt(last) === 0x3a;
}

/** The index of the text's last character that is not white space, or -1. */
function lastNonSpace(text: string): number {
  let last = text.length - 1;
  while (last >= 0 && isSpaceCode(text.charCodeAt(last))) last--;
  return last;
}

/** An unnumbered paragraph is a task when it assigns work: "Giao X ...", "X giao Y ...", or a deadline. */
function paragraphTask(node: OutlineNode, nodes: OutlineNode[], context: Context): Task | null {
  const text = node.text.trim();
  const folded = foldedText(node, true);
  if (endsWithColon(text) || NARRATIVE.test(folded)) return null;
  const opener = ASSIGNING_OPENER.test(folded);
  const giao = /\sgiao(?:\s+cho)?\s+(?=\S)/.exec(folded);
  const delegated = giao && partyAt(text, giao.index + giao[0].length) !== null && /^\p{Lu}/u.test(text.slice(giao.index + giao[0].length));
  // Read both ways at once: the strict reading decides, the loose one is the task's deadline.
  const deadline = deadlinesIn(text, folded);
  if (!opener && !delegated && !deadline.strict) return null;
  let assignees = assigneesAtStart(text, folded);
  if (!assignees.length && delegated) assignees = assigneesAtStart(text.slice(giao!.index + 1), folded.slice(giao!.index + 1));
  if (!assignees.length) assignees = firstPartyIn(text);
  if (!assignees.length) assignees = inheritedAssignees(node, nodes, context);
  return {
    ref: "",
    text,
    assignees,
    collaborators: notAssignees(collaboratorsIn(text, folded), assignees),
    deadline: deadline.loose,
    confidence: 0.7,
    span: spanOf(node.blocks),
  };
}

/** The collaborators that are not also assignees (compared folded). */
function notAssignees(collaborators: string[], assignees: string[]): string[] {
  if (!collaborators.length) return collaborators;
  const assigned = new Set(assignees.map(fold));
  return collaborators.filter((c) => !assigned.has(fold(c)));
}

/** notAssignees(dedupe(parties), assignees) with each party folded once for both tests. */
function distinctOthers(parties: string[], assignees: string[]): string[] {
  if (!parties.length) return [];
  const assigned = new Set(assignees.map(fold));
  const seen = new Set<string>();
  return parties.filter((p) => {
    const key = fold(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return !assigned.has(key);
  });
}

/**
 * The first words of an item, folded, for the section and article tests: punctuation OCR puts
 * between two words of one phrase ("Công, nhận", "Mục. đích") is dropped.
 */
function openingWords(text: string, textFolded?: string): string {
  const opening = text.slice(0, 48).trim();
  return withoutGluedPunctuation(textFolded === undefined ? fold(opening) : sameFold(opening, textFolded.slice(0, 48).trim()));
}

/** Punctuation that OCR glues between two folded words. */
const isGlued = (code: number) => code === 0x2c || code === 0x2e || code === 0x3b || code === 0x3a || code === 0x27 || code === 0x60;
const isAsciiLower = (code: number) => code >= 0x61 && code <= 0x7a;

/**
 * `s.replace(/(?<=[a-z])[,.;:'`](?= [a-z])/g, "")` as one walk: every test reads the input, not
 * the output, so each mark is dropped or kept on its own.
 */
export function withoutGluedPunctuation(s: string): string {
  let out = "";
  let kept = 0;
  // A glued mark stands right before a space: only the spaces need looking at.
  for (let space = s.indexOf(" ", 2); space >= 0 && space + 1 < s.length; space = s.indexOf(" ", space + 1)) {
    const i = space - 1;
    if (!isGlued(s.charCodeAt(i)) || !isAsciiLower(s.charCodeAt(i - 1)) || !isAsciiLower(s.charCodeAt(space + 1))) continue;
    out += s.slice(kept, i);
    kept = i + 1;
  }
  return kept ? out + s.slice(kept) : s;
}

/**
 * The item's own text (without its metadata lines and a trailing list mark) and its fold, for
 * every test that reads it folded: the fold is cut from the text's fold where the text is cut.
 */
function ownText(node: OutlineNode, textFolded: string): [string, string] {
  let text = node.text;
  let folded = textFolded;
  for (const m of node.meta) {
    const i = text.lastIndexOf(m);
    if (i < 0) continue;
    text = text.slice(0, i) + text.slice(i + m.length);
    folded = folded.slice(0, i) + folded.slice(i + m.length);
  }
  const cut = withoutTrailingMark(text);
  const own = cut.trim();
  const start = skipSpaces(cut, 0);
  return [own, sameFold(own, folded.slice(start, start + own.length))];
}

const isTrailingMark = (code: number) => code === 0x2d || code === 0x2013 || code === 0x2a || code === 0x2b;

/**
 * `text.replace(/\s[-–*+]\s*$/u, "")` without a scan from every position: the one place it can
 * match is the last non-space character, a mark with a space before it.
 */
export function withoutTrailingMark(text: string): string {
  const last = lastNonSpace(text);
  if (last < 1 || !isTrailingMark(text.charCodeAt(last)) || !isSpaceCode(text.charCodeAt(last - 1))) return text;
  return text.slice(0, last - 1);
}

const describingSection = new WeakMap<OutlineNode, boolean>();

/** Whether a heading above the node names a section that describes rather than assigns (memoised per heading). */
function inNonTaskSection(node: OutlineNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    let describes = describingSection.get(p);
    if (describes === undefined) {
      const head = openingWords(p.text, foldedText(p));
      // A decision's dispositive article lists what it decides ("Điều 1. Công nhận ... gồm: 1. ... 2. ...").
      describes = NON_TASK_SECTION.test(head) || (p.label?.style === "article" && DISPOSITIVE.test(head));
      describingSection.set(p, describes);
    }
    if (describes) return true;
  }
  return false;
}

/**
 * Metadata that closes a group of items applies to the items before it back
 * to the previous item that had its own: "1.1 ... 1.2 ... - Cơ quan thực hiện: X".
 */
function groupMetadata(node: OutlineNode): string[] {
  if (node.meta.length) return node.meta;
  const siblings = node.parent ? node.parent.children : [];
  const i = siblings.indexOf(node);
  for (let j = i + 1; j >= 1 && j < siblings.length; j++) {
    const s = siblings[j]!;
    if (s.children.length) break;
    if (s.meta.length) return s.meta;
  }
  return [];
}

/** The nearest heading that names a party, else the lead-in before the list, else the letter's recipients. */
function inheritedAssignees(node: OutlineNode, nodes: OutlineNode[], context: Context): string[] {
  for (let p = node.parent; p; p = p.parent) {
    const named = headingParties(p);
    if (named.length) return named;
  }
  // The last unnumbered paragraph before the node that ends with ":" is the list's lead-in.
  const root = rootOf(node);
  for (let k = nodes.indexOf(root) - 1; k >= 0; k--) {
    const candidate = nodes[k]!;
    if (candidate.label) continue;
    if (endsWithColon(candidate.text)) {
      const lead = leadInOf(candidate);
      if (lead.length) return lead;
    }
    break;
  }
  return context.recipients.length === 1 ? [context.recipients[0]!] : [];
}

const leadInCache = new WeakMap<OutlineNode, string[]>();

/** The parties a lead-in paragraph hands its list to (memoised: every item of the list asks). */
function leadInOf(lead: OutlineNode): string[] {
  let parties = leadInCache.get(lead);
  if (!parties) {
    parties = leadInParties(lead.text);
    leadInCache.set(lead, parties);
  }
  return parties;
}

const headingCache = new WeakMap<OutlineNode, string[]>();

/** The parties a heading hands to the items under it (memoised: every item under it asks). */
function headingParties(p: OutlineNode): string[] {
  const cached = headingCache.get(p);
  if (cached) return cached;
  const parties = readHeadingParties(p);
  headingCache.set(p, parties);
  return parties;
}

function readHeadingParties(p: OutlineNode): string[] {
  const heading = p.text.trim();
  // "5. Các phòng: Phòng A, Tổng hợp, Kế hoạch B." names its parties after the colon.
  const listed = /^[^:]{2,40}:\s*\S/u.test(heading) && partyAt(heading) ? splitParties(heading.replace(/[.;]\s*$/u, "")) : [];
  if (listed.length > 1) return listed;
  const whole = partyAt(heading.replace(/[:.]\s*$/u, ""));
  if (whole && whole.end >= heading.replace(/[:.]\s*$/u, "").length - 1) return splitParties(whole.phrase);
  const named = assigneesAtStart(heading);
  if (named.length) return named;
  return endsWithColon(heading) ? leadInParties(heading) : [];
}

function rootOf(node: OutlineNode): OutlineNode {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

function spanOf(blocks: Block[]) {
  // blockSpan makes a new span: it is the task's own to end where the last block ends.
  const span = blockSpan(blocks[0]!);
  if (blocks.length > 1) span.end = blockSpan(blocks[blocks.length - 1]!).end;
  return span;
}
