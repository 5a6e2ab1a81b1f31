/**
 * tesseract's TSV output: one row per page, block, paragraph, line and word,
 * each with its box in pixels; words (level 5) carry a confidence 0–100.
 * Both engines print the same format, so one parser serves both.
 */

export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  /** 0–100. */
  conf: number;
  /** tesseract's own line ("block.paragraph.line"): words it read as one row. */
  line: string;
}

export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split(/\r?\n/)) {
    const cols = row.split("\t");
    if (cols.length < 12 || cols[0] !== "5") continue;
    // Icelandic eth (Ð, ð) is no Vietnamese letter: tesseract's misreading of Đ/đ, mended at once
    // so every later test (of syllables, symbols) sees the letter.
    const text = cols.slice(11).join("\t").normalize("NFC").trim().replace(/Ð/g, "Đ").replace(/ð/g, "đ");
    const conf = Number(cols[10]);
    if (!text || !(conf >= 0)) continue;
    words.push({
      text,
      left: Number(cols[6]),
      top: Number(cols[7]),
      width: Number(cols[8]),
      height: Number(cols[9]),
      conf,
      line: `${cols[2]}.${cols[3]}.${cols[4]}`,
    });
  }
  return words;
}
