import type { Signer } from "../../schemas/extraction.ts";
import type { Block, SourceSpan } from "../model.ts";
import { spanInBlock } from "../model.ts";
import { titleCase } from "../text/vietnamese.ts";
import { found, notFound, type Found } from "./found.ts";
import type { Regions } from "./regions.ts";

/**
 * The signature block: authority ("KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN",
 * "TL.", "TUQ.", "Q."), the signer's title in capitals, then the name.
 */
export interface SignerFound extends Found<Signer> {
  /** Where the signature block starts, so the Nơi nhận list can stop there. */
  blockIndex: number;
  offset: number;
}

// Words that open a signer's title (an office), in capitals.
const TITLE_START =
  "PHÓ|CHỦ TỊCH|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|CHÁNH|BỘ TRƯỞNG|THỨ TRƯỞNG|TRƯỞNG|HIỆU TRƯỞNG|VIỆN TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|BÍ THƯ|THỦ TRƯỞNG|TỔNG CỤC TRƯỞNG|CHI CỤC TRƯỞNG|GIÁM ĐỐC SỞ|ỦY VIÊN|THƯỜNG TRỰC";
const AUTHORITY = "KT|TM|TL|TUQ|Q";
// A run of capitals (with commas and authority dots) that contains an office.
const SIGNATURE = new RegExp(
  `(?<![\\p{L}])((?:(?:${AUTHORITY})\\.\\s*(?:[\\p{Lu}Đ]+[,.]?\\s+)*?)?(?:${TITLE_START})(?:[\\s,]+(?:(?:${AUTHORITY})\\.\\s*)?[\\p{Lu}Đ]+)*)(?![\\p{L}])`,
  "gu",
);
// A person's name: 2 to 5 capitalised syllables, not all capitals.
const NAME = /^[\s:;,.]*(?:\((?:Đã ký|đã ký)\)\s*)?((?:\p{Lu}\p{Ll}+)(?:\s+\p{Lu}\p{Ll}+){1,4})(?![\p{L}])/u;

// A cheap gate before the signature pattern: every signer's title has one of these.
const MAY_SIGN = /GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG|CHÁNH|CHỦ NHIỆM|BÍ THƯ|PHÓ|ỦY VIÊN|THƯỜNG TRỰC/u;

export function extractSigner(blocks: Block[], regions: Regions): SignerFound {
  const start = regions.closing >= 0 ? regions.closing : Math.max(0, blocks.length - 15);
  const end = regions.attachmentStart >= 0 ? regions.attachmentStart : blocks.length;
  const candidates = [start, ...(regions.closing >= 0 ? [Math.max(0, regions.closing - 4)] : [])];
  for (const from of candidates) {
    const result = scan(blocks, from, from === start ? end : regions.closing);
    if (result) return result;
  }
  return { ...notFound({ name: null, title: null, authority: null }), blockIndex: -1, offset: 0 };
}

function scan(blocks: Block[], from: number, to: number): SignerFound | null {
  for (let i = from; i < to; i++) {
    const block = blocks[i]!;
    // "KT. CHỦ TỊCH" and "PHÓ CHỦ TỊCH" may stand in blocks of their own: read them as one run.
    let text = block.text;
    let last = i;
    while (last + 1 < to && blocks[last + 1]!.text.length < 60 && isCapitalRun(blocks[last + 1]!.text)) {
      last++;
      text += " " + blocks[last]!.text;
    }
    if (!MAY_SIGN.test(text)) continue;
    for (const m of text.matchAll(SIGNATURE)) {
      const run = m[1]!.trim().replace(/[,\s]+$/, "");
      if (!isCapitalRun(run)) continue;
      const { title, authority } = splitAuthority(run);
      if (!title) continue;
      // The name follows the run, in this block or the next ones (blank lines for the signature and seal).
      let name: string | null = null;
      let nameSpan: SourceSpan | null = null;
      const after = text.slice(m.index + m[0].length);
      const inline = NAME.exec(after);
      if (inline && last === i) {
        name = inline[1]!;
        const at = m.index + m[0].length + after.indexOf(name);
        nameSpan = spanInBlock(block, at, at + name.length);
      } else {
        for (let j = last + 1; j < Math.min(blocks.length, last + 4) && !name; j++) {
          const next = NAME.exec(blocks[j]!.text);
          if (next && blocks[j]!.text.trim().length <= next[0].length + 40) {
            name = next[1]!;
            const at = blocks[j]!.text.indexOf(name);
            nameSpan = spanInBlock(blocks[j]!, at, at + name.length);
          }
        }
      }
      // The block the run starts in, and the offset in it, so Nơi nhận can stop there.
      let at = i;
      let offset = m.index;
      while (at < last && offset > blocks[at]!.text.length) {
        offset -= blocks[at]!.text.length + 1;
        at++;
      }
      const span = spanInBlock(blocks[at]!, offset, Math.min(offset + m[0].length, blocks[at]!.text.length));
      return {
        ...found({ name, title: titleCase(title), authority: authority ? titleCase(authority) : null }, name ? 0.9 : 0.6, nameSpan ?? span),
        blockIndex: at,
        offset,
      };
    }
  }
  return null;
}

/** Capitals, commas and authority prefixes only: a real signature run, not words inside a sentence. */
function isCapitalRun(run: string): boolean {
  return !/\p{Ll}/u.test(run.replace(/(?:KT|TM|TL|TUQ)\./g, ""));
}

const AUTH_SPLIT = new RegExp(`(?=(?<![\\p{L}])(?:${AUTHORITY})\\.)`, "u");
const TITLE_AT = new RegExp(`(?<![\\p{L}])(?:${TITLE_START})(?![\\p{L}])`, "gu");

/**
 * "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" → authority "TM. ỦY BAN NHÂN DÂN, KT. CHỦ TỊCH",
 * title "PHÓ CHỦ TỊCH". Each prefix names whose behalf the signer acts on; the title is what remains.
 */
function splitAuthority(run: string): { title: string | null; authority: string | null } {
  const segments = run.split(AUTH_SPLIT).map((s) => s.trim()).filter(Boolean);
  const authority: string[] = [];
  let title: string | null = null;
  for (const [k, segment] of segments.entries()) {
    const prefixed = /^(?:KT|TM|TL|TUQ|Q)\./u.test(segment);
    if (!prefixed) {
      title = segment;
      continue;
    }
    const isLast = k === segments.length - 1;
    if (!isLast) {
      authority.push(segment);
      continue;
    }
    // The last prefixed segment holds both the office acted for and the signer's own title.
    const starts = [...segment.matchAll(TITLE_AT)].map((m) => m.index!);
    const prefixEnd = segment.indexOf(".") + 1;
    const bodyOrOffice = /^TM\./u.test(segment) ? starts.find((s) => s > prefixEnd) : starts.find((s) => s > (starts[0] ?? 0));
    if (bodyOrOffice !== undefined) {
      authority.push(segment.slice(0, bodyOrOffice).trim());
      title = segment.slice(bodyOrOffice).trim();
    } else {
      authority.push(segment);
    }
  }
  return { title: title?.replace(/[,.\s]+$/u, "") ?? null, authority: authority.length ? authority.join(", ") : null };
}
