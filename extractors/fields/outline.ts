import type { Block } from "../model.ts";
import { readLabel, type Label } from "../layout/labels.ts";
import { fold } from "../text/normalize.ts";
import { sameFold } from "./folded.ts";

/**
 * The numbered outline of a letter's body: items nested by their label
 * style in the order styles first appear (I. → 1. → a) → -, or any other
 * ladder a letter uses), with the unnumbered paragraphs that continue an item
 * kept in it, and the "- Cơ quan thực hiện:" / "- Thời gian thực hiện:" lines
 * kept as the item's metadata rather than as items.
 */
export interface OutlineNode {
  label: Label | null;
  /** Numbering path: "II.1.-2", "(1)", "a)"; "" for an unnumbered paragraph. */
  ref: string;
  /** The item's own text without its label, with its continuation paragraphs. */
  text: string;
  /** The text's fold, joined from its blocks' folds as the text is joined: read it through foldedText. */
  folded: string;
  /** "Cơ quan thực hiện: ...", "Thời gian thực hiện: ..." lines of the item. */
  meta: string[];
  blocks: Block[];
  children: OutlineNode[];
  parent: OutlineNode | null;
  /** Position among all nodes, in document order. */
  order: number;
}

const METADATA = /^(?:co quan|don vi|bo phan)\s+(?:thuc hien|chu tri|phoi hop|tham muu|dau moi)|^(?:thoi gian|thoi han)\s*(?:thuc hien|hoan thanh)?\s*:|^(?:kinh phi|san pham|ket qua dau ra|nguon kinh phi)\s*(?:thuc hien)?\s*:|^trach nhiem thuc hien\s*:/;

const METADATA_START = /^[CcĐđBbTtKkSsNn]/;

export function isMetadataLine(text: string, folded?: string): boolean {
  if (!METADATA_START.test(text)) return false;
  // `folded` is fold(text) when the caller has it: its start is the fold of the text's start.
  const start = text.slice(0, 48);
  return METADATA.test(folded === undefined ? fold(start) : sameFold(start, folded.slice(0, 48)));
}

function styleKey(label: Label): string {
  if (label.style === "multilevel") return `multilevel${levelsOf(label.raw)}`;
  if (label.style === "bullet" || label.style === "star") return "bullet";
  return label.style;
}

/** `raw.split(".").filter(Boolean).length`: the number of non-empty parts between dots ("1.2." has 2). */
function levelsOf(raw: string): number {
  let levels = 0;
  let inPart = false;
  for (let i = 0; i < raw.length; i++) {
    const dot = raw.charCodeAt(i) === 0x2e;
    if (!dot && !inPart) levels++;
    inPart = !dot;
  }
  return levels;
}

/** The outline under construction: roots, every node in creation order, and the open items. */
interface Builder {
  roots: OutlineNode[];
  all: OutlineNode[];
  /** The open items, outermost first, with their style keys beside them. */
  stack: OutlineNode[];
  keys: string[];
  last: OutlineNode | null;
  pending: { label: Label; block: Block } | null;
}

/**
 * Builds the outline of the given blocks. Paragraphs after the last numbered
 * item are standalone (a closing "Giao ..." paragraph is not part of item 5).
 */
export function buildOutline(blocks: Block[]): OutlineNode[] {
  const labels = blocks.map((b) => readLabel(b.text));
  let lastLabelled = findLastIndex(blocks, (b, i) => labels[i] !== null && !isMetadataLine(b.text.slice(labels[i]!.length)));
  // "7. Đối với các nội dung ...:" as the last item introduces the paragraph under it.
  if (lastLabelled >= 0 && /:\s*$/u.test(blocks[lastLabelled]!.text) && lastLabelled + 1 < blocks.length) lastLabelled++;
  const builder: Builder = { roots: [], all: [], stack: [], keys: [], last: null, pending: null };
  for (let index = 0; index < blocks.length; index++) addBlock(builder, blocks[index]!, labels[index]!, index, lastLabelled);
  assignRefs(builder.roots, "");
  return builder.roots;
}

function addBlock(b: Builder, block: Block, own: Label | null, index: number, lastLabelled: number): void {
  if (own && own.length >= block.text.length && own.style !== "dash") {
    b.pending = { label: own, block };
    return;
  }
  let label: Label | null = own;
  // Block texts are folded by other readers too (and cached): a node's fold is joined from them.
  const blockFolded = fold(block.text);
  let text = own ? block.text.slice(own.length) : block.text;
  let folded = own ? blockFolded.slice(own.length) : blockFolded;
  const carried = b.pending;
  if (carried) {
    label = carried.label;
    text = block.text;
    folded = blockFolded;
    b.pending = null;
  }
  const last = b.last;
  if (label && last && isMetadataLine(text, folded)) {
    last.meta.push(text);
    last.text += ` ${label.raw} ${text}`;
    last.folded += ` ${fold(label.raw)} ${folded}`;
    last.blocks.push(block);
    return;
  }
  if (!label) {
    addParagraph(b, block, text, folded, index, lastLabelled);
    return;
  }
  const key = styleKey(label);
  const at = b.keys.indexOf(key);
  if (at >= 0) {
    b.stack.length = at;
    b.keys.length = at;
  }
  const parent = b.stack[b.stack.length - 1] ?? null;
  const node = newNode(b, label, text, folded, carried ? carried.block : block, parent);
  if (carried) node.blocks.push(block);
  b.stack.push(node);
  b.keys.push(key);
  b.last = node;
}

/** An unnumbered paragraph: part of the item above it, that item's metadata, or a node of its own. */
function addParagraph(b: Builder, block: Block, text: string, folded: string, index: number, lastLabelled: number): void {
  const last = b.last;
  // A paragraph after a bulleted item that starts a new sentence closes the bullets and
  // belongs to the item above them ("- ... - ... Trong quá trình thực hiện ...").
  const owner = last && isBullet(last) && last.parent && /^\p{Lu}/u.test(text) ? last.parent : last;
  const metadata = owner !== null || last !== null ? isMetadataLine(text, folded) : false;
  if (owner && index <= lastLabelled && !metadata) {
    owner.text += ` ${text}`;
    owner.folded += ` ${folded}`;
    owner.blocks.push(block);
    b.last = owner;
  } else if (last && metadata) {
    last.meta.push(text);
    last.text += ` ${text}`;
    last.folded += ` ${folded}`;
    last.blocks.push(block);
  } else {
    newNode(b, null, text, folded, block, null);
    b.stack.length = 0;
    b.keys.length = 0;
    if (index > lastLabelled) b.last = null;
  }
}

function newNode(b: Builder, label: Label | null, text: string, folded: string, block: Block, parent: OutlineNode | null): OutlineNode {
  const node: OutlineNode = { label, ref: "", text, folded, meta: [], blocks: [block], children: [], parent, order: b.all.length };
  b.all.push(node);
  (parent ? parent.children : b.roots).push(node);
  return node;
}

function assignRefs(nodes: OutlineNode[], prefix: string): void {
  let dash = 0;
  for (const node of nodes) {
    if (!node.label) {
      node.ref = "";
      continue;
    }
    let own: string;
    if (node.label.style === "dash" || node.label.style === "plus" || node.label.style === "bullet" || node.label.style === "star") {
      own = `${node.label.style === "plus" ? "+" : "-"}${++dash}`;
    } else if (node.label.style === "multilevel" && node.parent?.label?.style === "arabic") {
      // "1.1." under "1." replaces the parent's number rather than repeating it.
      own = node.label.raw;
      node.ref = trimRef(prefix.slice(0, prefix.length - node.parent.label.raw.length) + own);
      assignRefs(node.children, node.ref + (node.ref.endsWith(".") || node.ref.endsWith(")") ? "" : "."));
      continue;
    } else {
      own = node.label.raw;
    }
    node.ref = trimRef(prefix + own);
    assignRefs(node.children, prefix + own + (own.endsWith(".") || own.endsWith(")") ? "" : "."));
  }
}

const trimRef = (ref: string) => (ref.endsWith(".") ? ref.slice(0, -1) : ref);

function isBullet(node: OutlineNode): boolean {
  const style = node.label?.style;
  return style === "dash" || style === "plus" || style === "bullet" || style === "star";
}

function findLastIndex<T>(items: T[], predicate: (item: T, index: number) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!, i)) return i;
  return -1;
}

/** fold(node.text) (of node.text.trim() when `trimmed`), from the fold joined from the node's pieces. */
export function foldedText(node: OutlineNode, trimmed = false): string {
  // Folding keeps white space white space: trimming the fold cuts what trimming the text cuts.
  return trimmed ? sameFold(node.text.trim(), node.folded.trim()) : sameFold(node.text, node.folded);
}

/** Every node in document order. */
export function flatten(nodes: OutlineNode[]): OutlineNode[] {
  const out: OutlineNode[] = [];
  walk(nodes, out);
  return out.sort((a, b) => a.order - b.order);
}

function walk(list: OutlineNode[], out: OutlineNode[]): void {
  for (const n of list) {
    out.push(n);
    walk(n.children, out);
  }
}
