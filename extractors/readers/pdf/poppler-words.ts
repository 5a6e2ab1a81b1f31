/**
 * The XHTML of `pdftotext -bbox` → pages of words with their boxes. Poppler
 * writes it line by line in one fixed shape (pdftotext.cc, unchanged for
 * years), one element per line:
 *
 *   <doc>
 *     <page width="595.320000" height="842.040000">
 *       <word xMin="116.900000" yMin="71.492640" xMax="135.614240" yMax="85.839360">ỦY</word>
 *     </page>
 *   </doc>
 *
 * It is read as that line format, strictly: a line of any other shape inside
 * <doc> is an error (and pdf.js reads the file). fast-xml-parser read the same
 * output in 4–6 ms a page, as much as the whole layout and a third of what
 * pdftotext itself spends; this reads it in ~0.2 ms. Nothing is expanded: the
 * five escapes poppler writes into a word are undone, no other entity exists
 * here, and the DOCTYPE and <head> (the file's own title and metadata) are
 * never looked at.
 *
 * Coordinates are poppler's: points from the top-left corner of the page, y
 * growing downwards.
 */

export interface PopplerWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PopplerPage {
  width: number;
  height: number;
  /** In the order poppler wrote them (content-stream order with `-raw`). */
  words: PopplerWord[];
}

const NUMBER = "(-?\\d+(?:\\.\\d+)?)";
const PAGE_START = new RegExp(`^<page width="${NUMBER}" height="${NUMBER}">$`);
const WORD = new RegExp(`^<word xMin="${NUMBER}" yMin="${NUMBER}" xMax="${NUMBER}" yMax="${NUMBER}">([^<]*)</word>$`);
const XML_ESCAPES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'" };

/** Throws when the output is not in poppler's shape (no <doc>, or a line of another kind in it). */
export function parsePopplerWords(xhtml: string): PopplerPage[] {
  const start = xhtml.indexOf("<doc>");
  const end = xhtml.lastIndexOf("</doc>");
  if (start < 0 || end < start) throw new Error("pdftotext wrote no <doc> element");
  const pages: PopplerPage[] = [];
  let page: PopplerPage | null = null;
  for (const raw of xhtml.slice(start + "<doc>".length, end).split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (page) {
      const word = WORD.exec(line);
      if (word) {
        const text = word[5]!.replace(/&(?:amp|lt|gt|quot|apos);/g, (e) => XML_ESCAPES[e]!);
        if (text.trim()) page.words.push({ text, xMin: Number(word[1]), yMin: Number(word[2]), xMax: Number(word[3]), yMax: Number(word[4]) });
        continue;
      }
      if (line === "</page>") {
        page = null;
        continue;
      }
    } else {
      const opened = PAGE_START.exec(line);
      if (opened) {
        page = { width: Number(opened[1]), height: Number(opened[2]), words: [] };
        pages.push(page);
        continue;
      }
    }
    throw new Error(`pdftotext wrote a line of an unknown shape: ${line.slice(0, 80)}`);
  }
  if (page) throw new Error("pdftotext's output ends inside a page");
  return pages;
}
