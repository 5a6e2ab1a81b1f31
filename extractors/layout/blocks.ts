import type { Block, Line } from "../model.ts";
import { readLabel, type Label } from "./labels.ts";
import { isAllCaps } from "../text/vietnamese.ts";

/** Line starts that always open a new paragraph in a letter. */
const OPENS_BLOCK =
  /^(?:Số\s*[:.]|V\/v|Về việc|Kính gửi|Nơi nhận|Căn cứ|Thực hiện|Xét đề nghị|QUYẾT ĐỊNH|CỘNG H[OÒ]À|Độc lập|TM\.|KT\.|TL\.|TUQ\.|Q\.\s)/iu;

const ENDS_SENTENCE = /[.:;!?]["”')]?$|\.\/\.$/u;
/** ENDS_SENTENCE reads only a line's last three characters: testing those spares a scan of the whole line. */
const endsSentence = (text: string) => ENDS_SENTENCE.test(text.slice(-4));

/**
 * Groups lines into paragraphs. A paragraph ends at a blank line, before a
 * numbered or bulleted item, before a line that opens a letter part (Số:,
 * Kính gửi, Căn cứ...), and after a sentence end when the next line starts a
 * new sentence. A line that starts in lower case continues the paragraph
 * before it even across a blank line or a page break: that is a sentence the
 * page break cut in two.
 */
export function buildBlocks(lines: Line[], blankBefore: ReadonlySet<number>): Block[] {
  const groups: Line[][] = [];
  let current: Line[] = [];
  // Each line's label, read at most once: a line is asked as the new line and again as the previous one.
  const labels = new LabelMemo();
  for (const line of lines) {
    const previous = current[current.length - 1];
    if (previous && !startsNewBlock(previous, line, blankBefore.has(line.index), labels)) {
      current.push(line);
      continue;
    }
    if (current.length) groups.push(current);
    current = [line];
  }
  if (current.length) groups.push(current);
  return groups.map(toBlock);
}

/** readLabel of the last line asked about, kept for the next question (the previous line is the last new one). */
class LabelMemo {
  private line: Line | null = null;
  private label: Label | null = null;

  of(line: Line): Label | null {
    if (line !== this.line) {
      this.line = line;
      this.label = readLabel(line.text);
    }
    return this.label;
  }
}

const CONTINUES_SENTENCE = /^[(“"]?\p{Ll}\p{L}*[\s,;.]/u;
const STARTS_LOWER = /^\p{Ll}/u;

function startsNewBlock(previous: Line, line: Line, blankBetween: boolean, labels: LabelMemo): boolean {
  const text = line.text;
  // A lower-case word (not a path or code such as "d:\\2011") after an unfinished sentence.
  const continuesSentence = CONTINUES_SENTENCE.test(text) && !endsSentence(previous.text);
  if (continuesSentence) return false;
  if (blankBetween) return true;
  const previousLabel = labels.of(previous);
  if (labels.of(line) || OPENS_BLOCK.test(text)) return true;
  if (previousLabel && previousLabel.length >= previous.text.length) return true;
  // "./." closes the letter's text; after any sentence end a line not starting in lower case is new.
  if (previous.text.endsWith("./.") || (endsSentence(previous.text) && !STARTS_LOWER.test(text))) return true;
  // Header lines of a two-column layout flattened to text: capitals after capitals, or text after a caps line.
  if (isAllCaps(previous.text) !== isAllCaps(text)) return true;
  return false;
}

/** A paragraph from its lines: their texts joined by single spaces, with each line's offset kept. */
export function toBlock(lines: Line[], index: number): Block {
  const lineOffsets: number[] = [];
  let text = "";
  for (const line of lines) {
    if (text) text += " ";
    lineOffsets.push(text.length);
    text += line.text;
  }
  return { text, lines, page: lines[0]!.page, index, lineOffsets };
}
