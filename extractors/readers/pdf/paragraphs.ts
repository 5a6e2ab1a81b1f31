/**
 * Paragraphs of a PDF. `buildBlocks` was written for text where a line is a
 * paragraph: it also ends a block after a sentence end ("... khả thi." /
 * "Trường hợp ..."). In a PDF that is often just where a justified line
 * wrapped; when the geometry says so, the two blocks are one paragraph again.
 */
import type { Block, Line } from "../../model.ts";
import { readLabel } from "../../layout/labels.ts";
import { toBlock } from "../../layout/blocks.ts";

export function mergeWrappedBlocks(blocks: Block[], wraps: ReadonlySet<number>): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const first = block.lines[0]!;
    const prev = out[out.length - 1];
    if (prev && wraps.has(first.index) && !startsItem(first, prev)) {
      out[out.length - 1] = toBlock(prev.lines.concat(block.lines), prev.index);
      continue;
    }
    out.push(toBlock(block.lines, out.length));
  }
  return out;
}

/**
 * A numbered or bulleted item starts its own block even at the left margin.
 * A dash is an item only after a finished line: "... lãnh đạo Ban Văn hóa" /
 * "– Xã hội, ..." is a compound name broken at its dash.
 */
function startsItem(line: Line, prev: Block): boolean {
  const label = readLabel(line.text);
  if (!label) return false;
  const before = prev.lines[prev.lines.length - 1]!.text;
  return !(label.style === "dash" && /[\p{L}\p{N})]$/u.test(before));
}


