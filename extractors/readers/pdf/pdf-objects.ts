/**
 * PDF object syntax, enough to walk the page tree and follow a page to the
 * images it draws: the values of an object's dictionary (names, numbers,
 * references, nested dictionaries and arrays; strings are skipped over, not
 * decoded), and the tokens of a content stream. Anything malformed throws;
 * the caller then leaves the page to pdf.js.
 */

export interface Name {
  name: string;
}
export interface Ref {
  num: number;
  gen: number;
}
/** A string's bytes are never needed here: only that one stood there. */
export interface Str {
  str: true;
}
export type PdfValue = number | boolean | null | Name | Ref | Str | PdfValue[] | Map<string, PdfValue>;
/** An operator of a content stream ("cm", "Do", "BI", ...). */
export interface Keyword {
  op: string;
}

export const isName = (v: unknown): v is Name => typeof v === "object" && v !== null && "name" in v;
export const isRef = (v: unknown): v is Ref => typeof v === "object" && v !== null && "num" in v && "gen" in v;
export const isKeyword = (v: unknown): v is Keyword => typeof v === "object" && v !== null && "op" in v;
export const isDict = (v: unknown): v is Map<string, PdfValue> => v instanceof Map;

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITER = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));
/** Nesting beyond this is no page a scanner wrote. */
const MAX_DEPTH = 32;

/**
 * A PDF number: digits with an optional fraction, or a bare fraction. Written so a long run of
 * digits that is not a number fails in one pass: "\d+\.?\d*" tried every split of the run
 * between its two digit loops, and a 100,000-digit word in a damaged file took 20 s.
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export class Lexer {
  pos = 0;
  constructor(readonly text: string) {}

  /** The next value or operator; undefined at the end. */
  next(depth = 0): PdfValue | Keyword | undefined {
    if (depth > MAX_DEPTH) throw new Error("objects nested too deep");
    this.skipSpace();
    const text = this.text;
    if (this.pos >= text.length) return undefined;
    const c = text.charCodeAt(this.pos);
    if (c === 0x2f) return { name: this.word(this.pos + 1).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) };
    if (c === 0x28) return this.literalString();
    if (c === 0x3c && text.charCodeAt(this.pos + 1) === 0x3c) {
      this.pos += 2;
      return this.dict(depth);
    }
    if (c === 0x3c) {
      const end = text.indexOf(">", this.pos);
      if (end < 0) throw new Error("unterminated hex string");
      this.pos = end + 1;
      return { str: true };
    }
    if (c === 0x5b) {
      this.pos++;
      return this.array(depth);
    }
    if (c === 0x5d || c === 0x3e || c === 0x29 || c === 0x7b || c === 0x7d) {
      // A closing bracket where a value was wanted: handed to the caller as an operator.
      const op = c === 0x3e && text.charCodeAt(this.pos + 1) === 0x3e ? ">>" : String.fromCharCode(c);
      this.pos += op.length;
      return { op };
    }
    const word = this.word(this.pos);
    if (!word) throw new Error(`unexpected byte ${c}`);
    if (NUMBER.test(word)) return this.numberOrRef(Number(word));
    if (word === "true" || word === "false") return word === "true";
    if (word === "null") return null;
    return { op: word };
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (WHITE.has(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < text.length && text.charCodeAt(this.pos) !== 0x0a && text.charCodeAt(this.pos) !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** Regular characters from `from` on (the token's text), leaving pos after them. */
  private word(from: number): string {
    let end = from;
    while (end < this.text.length) {
      const c = this.text.charCodeAt(end);
      if (WHITE.has(c) || DELIMITER.has(c)) break;
      end++;
    }
    this.pos = end;
    return this.text.slice(from, end);
  }

  /** "12 0 R" is a reference; any other number stands alone (the lexer backs up). */
  private numberOrRef(n: number): number | Ref {
    if (!Number.isInteger(n) || n < 0) return n;
    const save = this.pos;
    const m = /^[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+R(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(this.text.slice(this.pos, this.pos + 32));
    if (m) {
      this.pos = save + m[0].length;
      return { num: n, gen: Number(m[1]) };
    }
    return n;
  }

  private literalString(): Str {
    const text = this.text;
    let depth = 0;
    for (let i = this.pos; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i++;
      else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) {
        this.pos = i + 1;
        return { str: true };
      }
    }
    throw new Error("unterminated string");
  }

  private array(depth: number): PdfValue[] {
    const out: PdfValue[] = [];
    for (;;) {
      const v = this.next(depth + 1);
      if (v === undefined) throw new Error("unterminated array");
      if (isKeyword(v)) {
        if (v.op === "]") return out;
        throw new Error(`"${v.op}" inside an array`);
      }
      out.push(v);
    }
  }

  private dict(depth: number): Map<string, PdfValue> {
    const out = new Map<string, PdfValue>();
    for (;;) {
      const key = this.next(depth + 1);
      if (isKeyword(key) && key.op === ">>") return out;
      if (!isName(key)) throw new Error("a dictionary key that is no name");
      const value = this.next(depth + 1);
      if (value === undefined || isKeyword(value)) throw new Error("a dictionary key without a value");
      out.set(key.name, value);
    }
  }
}

/** The first value of an object's text (its dictionary or array). */
export function parseObject(text: string): PdfValue {
  const value = new Lexer(text).next();
  if (value === undefined || isKeyword(value)) throw new Error("no object");
  return value;
}
