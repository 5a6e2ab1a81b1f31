import type { Block } from "../model.ts";
import { blockSpan, spanInBlock } from "../model.ts";
import { fold } from "../text/normalize.ts";
import { found, notFound, type Found } from "./found.ts";
import type { Regions } from "./regions.ts";

/**
 * The two address lists of a letter: "Kính gửi:" (recipients) and
 * "Nơi nhận:" (distribution). Each is written inline after its colon or as a
 * list of "- item;" lines under it.
 */

const LIST_ITEM = /^[-–+•]\s*/u;

function cleanItem(raw: string): string {
  return raw.replace(LIST_ITEM, "").replace(/\s+/g, " ").replace(/[\s.;,]+$/u, "").replace(/\.\/$/u, "").trim();
}

/** Splits "- A; - B;" written on one line into items. */
function splitInline(text: string): string[] {
  return text
    .split(/(?:^|[;.:]\s*)[-–+•]\s*(?=\S)/u)
    .map(cleanItem)
    .filter(Boolean);
}

export function extractRecipients(blocks: Block[], regions: Regions): Found<string[]> {
  if (regions.recipients < 0) return notFound([]);
  const block = blocks[regions.recipients]!;
  const m = /Kính\s+gửi\s*[:.]?\s*/iu.exec(block.text) ?? new RegExp("kinh gui\\s*[:.]?\\s*").exec(fold(block.text));
  if (!m) return notFound([]);
  const items = splitInline(block.text.slice(m.index + m[0].length));
  for (let i = regions.recipients + 1; i < regions.bodyStart; i++) {
    const text = blocks[i]!.text;
    if (LIST_ITEM.test(text)) items.push(cleanItem(text));
  }
  return found(items, items.length ? 0.9 : 0.5, spanInBlock(block, m.index, block.text.length));
}

/**
 * Nơi nhận items run from the "Nơi nhận:" block over the list lines under it,
 * and stop at the signature (which a flattened layout may put on the same
 * line as the last item: "- Lưu: VT, ĐMDN (2b). Trung Anh BỘ TRƯỞNG ...").
 */
export function extractDistribution(blocks: Block[], regions: Regions, signature: { blockIndex: number; offset: number }): Found<string[]> {
  if (regions.closing < 0) return notFound([]);
  const items: string[] = [];
  const cut = (index: number, text: string) =>
    index === signature.blockIndex ? text.slice(0, signature.offset) : text;
  const first = blocks[regions.closing]!;
  const head = /Nơi\s+nhận\s*[:.]?\s*/iu.exec(first.text);
  const inline = cut(regions.closing, first.text).slice(head ? head.index + head[0].length : 0);
  items.push(...splitInline(inline));
  // A signature read before the list (a scan's closing column that OCR put above "Nơi nhận") ends nothing.
  const end = signature.blockIndex >= regions.closing ? signature.blockIndex : blocks.length;
  for (let i = regions.closing + 1; i < blocks.length; i++) {
    if (i > end) break;
    const text = cut(i, blocks[i]!.text);
    if (!LIST_ITEM.test(text)) break;
    items.push(...splitInline(text));
  }
  return found(items.filter(Boolean), 0.9, blockSpan(first));
}
