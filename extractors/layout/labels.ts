/**
 * Numbering labels of ND 30/2020 letters and how they are written in the
 * wild: "I." roman sections, "1." / "1.2." arabic items, "a)" letters (with
 * "đ)"), "(1)", "Điều 3." articles, and "-", "+", "•", "*" bullets.
 */

export type LabelStyle = "roman" | "arabic" | "multilevel" | "letter" | "paren" | "article" | "dash" | "plus" | "bullet" | "star";

export interface Label {
  style: LabelStyle;
  /** The label as written, normalised ("II.", "1.", "1.2.", "a)", "(1)", "Điều 2", "-"). */
  raw: string;
  /** Length of the label and the space after it at the start of the text. */
  length: number;
}

export const LABEL = new RegExp(
  "^(?:" +
    "(?<article>Điều\\s+\\d{1,3}[.:]?)" +
    "|(?<roman>(?:[IVX]{1,4}|XI{1,3}|XIV|XV))[.:](?=\\s|$)" +
    "|(?<multilevel>\\d{1,2}(?:\\.\\d{1,2})+)\\.?(?=\\s|$)" +
    "|(?<arabic>\\d{1,2})[.)](?=\\s|$)" +
    "|(?<letter>[a-zđ])\\)(?=\\s|$)" +
    "|(?<paren>\\(\\d{1,2}\\))(?=\\s|$)" +
    "|(?<dash>[-–—‐−])(?=\\s?\\S)" +
    "|(?<plus>\\+)(?=\\s)" +
    "|(?<bullet>[•·●▪◦])" +
    "|(?<star>\\*)(?=\\s)" +
    ")\\s*",
  "u",
);

// Every label starts with one of these; most lines start with a capital word and skip the regex.
const LABEL_START = /^[\dIVX(a-zđĐ\-–—‐−+•·●▪◦*]/u;

/**
 * Lines that pass LABEL_START but can be only one kind of label, and are not: a lower-case
 * word (a label "a)" has ")" next) and a word in Đ that is not "Điều". Continuation lines start
 * so, and are spared the full pattern.
 */
export function cannotStartLabel(text: string): boolean {
  const first = text.charCodeAt(0);
  if ((first >= 0x61 && first <= 0x7a) || first === 0x111) return text.charCodeAt(1) !== 0x29; // a-z, đ; ")"
  if (first === 0x110) return !text.startsWith("Điều"); // Đ
  return false;
}

const STYLES: LabelStyle[] = ["article", "roman", "multilevel", "arabic", "letter", "paren", "dash", "plus", "bullet", "star"];

export function readLabel(text: string): Label | null {
  if (!LABEL_START.test(text) || cannotStartLabel(text)) return null;
  const m = LABEL.exec(text);
  if (!m?.groups) return null;
  const groups = m.groups;
  for (const style of STYLES) {
    const value = groups[style];
    if (value === undefined) continue;
    if (style === "dash" && /^[-–—‐−]\d/.test(text)) return null; // "-5%" is a number, not a bullet
    const raw =
      style === "roman" || style === "arabic" || style === "multilevel"
        ? `${value}.`
        : style === "letter"
          ? `${value})`
          : value.replace(/\s+/g, " ").replace(/[.:]$/, "");
    return { style: style as LabelStyle, raw, length: m[0].length };
  }
  return null;
}

/** A block that is only a label ("1.4." on its own line, from a converter). */
export function isLabelOnly(text: string): boolean {
  const label = readLabel(text);
  return label !== null && label.length >= text.length && label.style !== "dash";
}
