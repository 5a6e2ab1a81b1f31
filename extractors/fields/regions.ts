import type { Block } from "../model.ts";
import { fold } from "../text/normalize.ts";
import { isAllCaps } from "../text/vietnamese.ts";
import { readLabel } from "../layout/labels.ts";

/**
 * The parts of a letter laid down by ND 30/2020: the header (issuer, number,
 * Quốc hiệu, place and date, type and subject, Kính gửi), the body, and the
 * closing (Nơi nhận, signature). An attachment issued with a decision
 * ("Ban hành kèm theo Quyết định ...") after the signature is body again.
 */
export interface Regions {
  /** Index of the first body block. */
  bodyStart: number;
  /** Index one past the last body block of the letter proper (the Nơi nhận block, or the end). */
  bodyEnd: number;
  /** Index of the Nơi nhận block, or -1. */
  closing: number;
  /** Index of the first block of an attachment after the signature, or -1. */
  attachmentStart: number;
  /** Index of the "Kính gửi" block, or -1. */
  recipients: number;
}

const HEADER_LINE =
  /^(?:so\s*[:.]|v\/v|ve viec|kinh gui|cong hoa xa hoi|doc lap|[-_=]{3,}|.*,\s*ngay\s*\d{0,2}\s*thang)/u;
const BODY_OPENER = /^(?:can cu|thuc hien|xet de nghi|theo de nghi|trong thoi gian|nham |de |qua |tai cuoc hop|ngay \d)/u;

export function findRegions(blocks: Block[]): Regions {
  // The tests read folded text. A block is folded whole only when a test reads more than its start:
  // most of a letter's body is asked only whether it opens with "Nơi nhận".
  const folded: string[] = [];
  const foldedAt = (i: number) => (folded[i] ??= fold(blocks[i]!.text));
  const closing = blocks.findIndex((b, i) => i > 0 && fold(b.text.slice(0, 8)) === "noi nhan");
  const before = closing < 0 ? blocks.length : closing;
  let recipients = -1;
  for (let i = 0; i < before && recipients < 0; i++) if (/(?:^|\s)kinh gui/u.test(foldedAt(i))) recipients = i;

  let bodyStart = 0;
  if (recipients >= 0) {
    bodyStart = recipients + 1;
    // The recipients' own dash list ("- Giám đốc Sở ...;") belongs to the header.
    const inline = /kinh gui\s*[:.]?\s*(.*)$/u.exec(foldedAt(recipients))?.[1] ?? "";
    if (!inline || inline.startsWith("-")) {
      while (bodyStart < blocks.length && /^[-–+•]/u.test(blocks[bodyStart]!.text) && blocks[bodyStart]!.text.length < 200) bodyStart++;
    }
  } else {
    bodyStart = firstBodyBlock(blocks, foldedAt);
  }

  let attachmentStart = -1;
  if (closing >= 0) {
    for (let i = closing + 1; i < blocks.length && attachmentStart < 0; i++) {
      if (/\(?\s*ban hanh kem theo/u.test(foldedAt(i))) attachmentStart = i + 1;
    }
  }
  return { bodyStart, bodyEnd: closing >= 0 ? closing : blocks.length, closing, attachmentStart, recipients };
}

/** Without "Kính gửi", the body starts at the first block that is not a header line. */
function firstBodyBlock(blocks: Block[], foldedAt: (i: number) => string): number {
  let lastHeader = -1;
  const limit = Math.min(blocks.length, 14);
  for (let i = 0; i < limit; i++) {
    const t = foldedAt(i);
    const b = blocks[i]!;
    // The subject under a type title ("THÔNG BÁO" / "Kết luận của ...", "KẾ HOẠCH" / "Thực hiện ...")
    // may be long and may start like a body sentence, but it never ends one.
    const underTitle = i > 0 && isAllCaps(blocks[i - 1]!.text) && blocks[i - 1]!.text.length < 40 && !/[.;:]$/.test(b.text) && !readLabel(b.text);
    if (!underTitle && (BODY_OPENER.test(t) || readLabel(b.text))) break;
    const headerLike = HEADER_LINE.test(t) || isAllCaps(b.text) || underTitle || (b.text.length < 160 && !/[.;]$/.test(b.text));
    if (headerLike) lastHeader = i;
    else break;
  }
  return lastHeader + 1;
}
