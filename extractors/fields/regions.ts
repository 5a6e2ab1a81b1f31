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
  const folded = blocks.map((b) => fold(b.text));
  const closing = folded.findIndex((t, i) => i > 0 && /^noi nhan\s*[:.]?/u.test(t));
  const recipients = folded.findIndex((t, i) => (closing < 0 || i < closing) && /(?:^|\s)kinh gui\s*[:.]?/u.test(t));

  let bodyStart = 0;
  if (recipients >= 0) {
    bodyStart = recipients + 1;
    // The recipients' own dash list ("- Giám đốc Sở ...;") belongs to the header.
    const inline = /kinh gui\s*[:.]?\s*(.*)$/u.exec(folded[recipients]!)?.[1] ?? "";
    if (!inline || inline.startsWith("-")) {
      while (bodyStart < blocks.length && /^[-–+•]/u.test(blocks[bodyStart]!.text) && blocks[bodyStart]!.text.length < 200) bodyStart++;
    }
  } else {
    bodyStart = firstBodyBlock(blocks, folded);
  }

  let attachmentStart = -1;
  if (closing >= 0) {
    const found = folded.findIndex((t, i) => i > closing && /\(?\s*ban hanh kem theo/u.test(t));
    if (found >= 0) attachmentStart = found + 1;
  }
  return { bodyStart, bodyEnd: closing >= 0 ? closing : blocks.length, closing, attachmentStart, recipients };
}

/** Without "Kính gửi", the body starts at the first block that is not a header line. */
function firstBodyBlock(blocks: Block[], folded: string[]): number {
  let lastHeader = -1;
  const limit = Math.min(blocks.length, 14);
  for (let i = 0; i < limit; i++) {
    const t = folded[i]!;
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
