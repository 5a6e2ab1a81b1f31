import type { Block } from "../model.ts";
import { readLabel, type Label } from "../layout/labels.ts";
import { fold } from "../text/normalize.ts";

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

export function isMetadataLine(text: string): boolean {
  return METADATA_START.test(text) && METADATA.test(fold(text.slice(0, 48)));
}

function styleKey(label: Label): string {
  if (label.style === "multilevel") return `multilevel${label.raw.split(".").filter(Boolean).length}`;
  if (label.style === "bullet" || label.style === "star") return "bullet";
  return label.style;
}

/**
 * Builds the outline of the given blocks. Paragraphs after the last numbered
 * item are standalone (a closing "Giao ..." paragraph is not part of item 5).
 */
export function buildOutline(blocks: Block[]): OutlineNode[] {
  const roots: OutlineNode[] = [];
  const all: OutlineNode[] = [];
  let stack: OutlineNode[] = [];
  let last: OutlineNode | null = null;
  let pending: { label: Label; block: Block } | null = null;
  const labels = blocks.map((b) => readLabel(b.text));
  let lastLabelled = findLastIndex(blocks, (b, i) => labels[i] !== null && !isMetadataLine(b.text.slice(labels[i]!.length)));
  // "7. Đối với các nội dung ...:" as the last item introduces the paragraph under it.
  if (lastLabelled >= 0 && /:\s*$/u.test(blocks[lastLabelled]!.text) && lastLabelled + 1 < blocks.length) lastLabelled++;

  const newNode = (label: Label | null, text: string, block: Block, parent: OutlineNode | null): OutlineNode => {
    const node: OutlineNode = { label, ref: "", text, meta: [], blocks: [block], children: [], parent, order: all.length };
    all.push(node);
    (parent ? parent.children : roots).push(node);
    return node;
  };

  blocks.forEach((block, index) => {
    const own = labels[index]!;
    if (own && own.length >= block.text.length && own.style !== "dash") {
      pending = { label: own, block };
      return;
    }
    let label: Label | null = own;
    let text = own ? block.text.slice(own.length) : block.text;
    const carried = pending as { label: Label; block: Block } | null;
    if (carried) {
      label = carried.label;
      text = block.text;
      pending = null;
    }
    if (label && isMetadataLine(text) && last) {
      last.meta.push(text);
      last.text += ` ${label.raw} ${text}`;
      last.blocks.push(block);
      return;
    }
    if (!label) {
      // A paragraph after a bulleted item that starts a new sentence closes the bullets and
      // belongs to the item above them ("- ... - ... Trong quá trình thực hiện ...").
      const owner = last && isBullet(last) && last.parent && /^\p{Lu}/u.test(text) ? last.parent : last;
      if (owner && index <= lastLabelled && !isMetadataLine(text)) {
        owner.text += ` ${text}`;
        owner.blocks.push(block);
        last = owner;
      } else if (last && isMetadataLine(text)) {
        last.meta.push(text);
        last.text += ` ${text}`;
        last.blocks.push(block);
      } else {
        newNode(null, text, block, null);
        stack = [];
        if (index > lastLabelled) last = null;
      }
      return;
    }
    const key = styleKey(label);
    const at = stack.findIndex((n) => styleKey(n.label!) === key);
    if (at >= 0) stack = stack.slice(0, at);
    const parent = stack[stack.length - 1] ?? null;
    const node = newNode(label, text, carried ? carried.block : block, parent);
    if (carried) node.blocks.push(block);
    stack.push(node);
    last = node;
  });

  assignRefs(roots, "");
  return roots;
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
    assignRefs(node.children, prefix + own + (/[.)]$/.test(own) ? "" : "."));
  }
}

const trimRef = (ref: string) => ref.replace(/\.$/, "");

function isBullet(node: OutlineNode): boolean {
  const style = node.label?.style;
  return style === "dash" || style === "plus" || style === "bullet" || style === "star";
}

function findLastIndex<T>(items: T[], predicate: (item: T, index: number) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!, i)) return i;
  return -1;
}

/** Every node in document order. */
export function flatten(nodes: OutlineNode[]): OutlineNode[] {
  const out: OutlineNode[] = [];
  const walk = (list: OutlineNode[]) => {
    for (const n of list) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out.sort((a, b) => a.order - b.order);
}
