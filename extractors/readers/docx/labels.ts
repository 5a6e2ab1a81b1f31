import { resolveAbstract, type LevelDef, type NumberingDefs } from "./numbering.ts";

/**
 * Word's list counters, replayed paragraph by paragraph in document order to
 * rebuild the label Word displays ("1.", "1.2.", "a)", "(3)", "II.", "-").
 *
 * Counting follows Word: a level advances each time a paragraph uses it,
 * levels below it restart when it advances (unless w:lvlRestart says
 * otherwise), and a list continues across paragraphs that are not in it.
 * Instances (w:num) of one abstract list share its counters, as in Word,
 * except an instance with a w:startOverride, which counts on its own from the
 * overridden start: that is how Word writes "restart numbering".
 */

/**
 * Points of ND 30/2020 letters and of Vietnamese law run a, b, c, d, đ, e, g,
 * h, i, k... : the Vietnamese alphabet's base letters (no f, j, w, z) with đ
 * after d. Word's own lowerLetter would show "e) f)", which no such letter has;
 * the letter's author meant the Vietnamese sequence.
 */
const VIETNAMESE_LETTERS = [..."abcdđeghiklmnopqrstuvxy"];

function letters(n: number): string {
  if (n < 1) return "";
  const letter = VIETNAMESE_LETTERS[(n - 1) % VIETNAMESE_LETTERS.length]!;
  // Past the last letter Word doubles it (aa, bb...); so do we.
  return letter.repeat(Math.floor((n - 1) / VIETNAMESE_LETTERS.length) + 1);
}

const ROMAN: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];

function roman(n: number): string {
  if (n < 1 || n >= 4000) return String(n);
  let out = "";
  for (const [value, symbol] of ROMAN) for (; n >= value; n -= value) out += symbol;
  return out;
}

/** Formats one counter value; unknown formats are written as decimal (and reported). */
export function formatNumber(n: number, format: string): { text: string; known: boolean } {
  switch (format) {
    case "decimal":
      return { text: String(n), known: true };
    case "decimalZero":
      return { text: n < 10 && n >= 0 ? `0${n}` : String(n), known: true };
    case "upperRoman":
      return { text: roman(n), known: true };
    case "lowerRoman":
      return { text: roman(n).toLowerCase(), known: true };
    case "lowerLetter":
      return { text: letters(n), known: true };
    case "upperLetter":
      return { text: letters(n).toUpperCase(), known: true };
    case "none":
      return { text: "", known: true };
    default:
      return { text: String(n), known: false };
  }
}

/**
 * A bullet as the outline reader knows it. Word writes bullets as symbol-font
 * characters (, o, §, ▪) that mean nothing as text; ND 30 letters use "-"
 * and "+", so "+" stays "+" and every other bullet becomes "-".
 */
function bulletLabel(text: string): string {
  return text.trim() === "+" ? "+" : "-";
}

export class ListCounters {
  private readonly values = new Map<string, (number | undefined)[]>();
  /** Formats met that are not supported, reported once each as a warning. */
  readonly unknownFormats = new Set<string>();

  constructor(private readonly defs: NumberingDefs) {}

  /** Advances the list for one paragraph and returns its label, or null when Word shows none. */
  next(numId: string, ilvl: number): string | null {
    const num = this.defs.nums.get(numId);
    const abstract = resolveAbstract(this.defs, numId);
    if (!num || !abstract) return null;
    const levelOf = (i: number): LevelDef | undefined => num.levelOverrides.get(i) ?? abstract.levels.get(i);
    const level = levelOf(ilvl);
    if (!level) return null;
    const startOf = (i: number) => num.startOverrides.get(i) ?? levelOf(i)?.start ?? 0;

    const key = num.startOverrides.size || num.levelOverrides.size ? `num:${numId}` : `abstract:${abstract.id}`;
    let values = this.values.get(key);
    if (!values) this.values.set(key, (values = []));
    const current = values[ilvl];
    values[ilvl] = current === undefined ? startOf(ilvl) : current + 1;
    for (let deeper = ilvl + 1; deeper < 9; deeper++) {
      const restart = levelOf(deeper)?.restart;
      // Default: a level restarts whenever any level above it advances.
      if (restart === undefined ? true : restart !== 0 && ilvl < restart) values[deeper] = undefined;
    }

    if (level.format === "bullet") return bulletLabel(level.text);
    const label = level.text.replace(/%([1-9])/g, (_all, digit: string) => {
      const i = Number(digit) - 1;
      const def = levelOf(i);
      if (!def) return "";
      const format = level.legal && def.format !== "none" ? "decimal" : def.format;
      const formatted = formatNumber(values![i] ?? startOf(i), format);
      if (!formatted.known) this.unknownFormats.add(format);
      return formatted.text;
    });
    const trimmed = label.replace(/\s+/g, " ").trim();
    return trimmed || null;
  }
}
