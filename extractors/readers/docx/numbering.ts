import { attr, child, childrenNamed, childrenOf, findFirst, nameOf, val, type XmlNode } from "./xml.ts";

/**
 * Word's list definitions, read from word/numbering.xml and word/styles.xml.
 * mammoth keeps only "ordered or not" and the level of a numbered paragraph,
 * so the label itself ("1.", "a)", "II.", "-") is rebuilt from these.
 *
 * numbering.xml has abstract definitions (w:abstractNum: one w:lvl per level
 * with its format, text and start) and instances (w:num) that paragraphs cite
 * by w:numId and may override per level (w:lvlOverride: w:startOverride or a
 * whole w:lvl). A paragraph gets its numId/ilvl from its own w:numPr or from
 * its paragraph style (styles.xml, through w:basedOn).
 */

export interface LevelDef {
  /** w:numFmt: decimal, upperRoman, lowerLetter, bullet... */
  format: string;
  /** w:lvlText: "%1.", "%1.%2.", "(%1)", "-". */
  text: string;
  start: number;
  /** w:lvlRestart: the level restarts after a level above `restart` (1-based); 0 = never. */
  restart?: number;
  /** w:isLgl: every number in the label is written in decimal. */
  legal: boolean;
  /** w:pStyle: the paragraph style tied to this level. */
  paragraphStyle?: string;
}

export interface AbstractNum {
  id: string;
  levels: Map<number, LevelDef>;
  /** w:numStyleLink: the definition lives in the numbering style named here. */
  numStyleLink?: string;
}

export interface NumInstance {
  id: string;
  abstractId: string;
  startOverrides: Map<number, number>;
  levelOverrides: Map<number, LevelDef>;
}

export interface StyleNumbering {
  numId?: string;
  ilvl?: number;
  basedOn?: string;
}

export interface NumberingDefs {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, NumInstance>;
  /** Paragraph and numbering styles that carry a w:numPr, or are based on one that may. */
  styles: Map<string, StyleNumbering>;
  defaultParagraphStyle?: string;
}

const int = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : undefined;
};

function readLevel(lvl: XmlNode): LevelDef {
  // A Word 2010 custom format ("001, 002") sits in mc:AlternateContent; its fallback is a plain w:numFmt.
  const format = val(lvl, "w:numFmt") ?? val(child(child(lvl, "mc:AlternateContent"), "mc:Fallback"), "w:numFmt") ?? "decimal";
  const legal = child(lvl, "w:isLgl");
  return {
    format,
    text: val(lvl, "w:lvlText") ?? "",
    start: int(val(lvl, "w:start")) ?? 0,
    restart: int(val(lvl, "w:lvlRestart")),
    legal: legal !== undefined && !/^(?:0|false|off)$/.test(attr(legal, "w:val") ?? ""),
    paragraphStyle: val(lvl, "w:pStyle"),
  };
}

export function readNumbering(numberingRoot: XmlNode[] | null, stylesRoot: XmlNode[] | null): NumberingDefs {
  const defs: NumberingDefs = { abstracts: new Map(), nums: new Map(), styles: new Map() };
  const numbering = numberingRoot ? findFirst(numberingRoot, "w:numbering") : undefined;
  for (const node of numbering ? childrenOf(numbering) : []) {
    const name = nameOf(node);
    if (name === "w:abstractNum") {
      const id = attr(node, "w:abstractNumId") ?? "";
      const levels = new Map<number, LevelDef>();
      for (const lvl of childrenNamed(node, "w:lvl")) levels.set(int(attr(lvl, "w:ilvl")) ?? 0, readLevel(lvl));
      defs.abstracts.set(id, { id, levels, numStyleLink: val(node, "w:numStyleLink") });
    } else if (name === "w:num") {
      const id = attr(node, "w:numId") ?? "";
      const instance: NumInstance = { id, abstractId: val(node, "w:abstractNumId") ?? "", startOverrides: new Map(), levelOverrides: new Map() };
      for (const override of childrenNamed(node, "w:lvlOverride")) {
        const ilvl = int(attr(override, "w:ilvl")) ?? 0;
        const start = int(val(override, "w:startOverride"));
        if (start !== undefined) instance.startOverrides.set(ilvl, start);
        const lvl = child(override, "w:lvl");
        if (lvl) instance.levelOverrides.set(ilvl, readLevel(lvl));
      }
      defs.nums.set(id, instance);
    }
  }

  const styles = stylesRoot ? findFirst(stylesRoot, "w:styles") : undefined;
  for (const style of childrenNamed(styles, "w:style")) {
    const type = attr(style, "w:type");
    if (type !== "paragraph" && type !== "numbering") continue;
    const id = attr(style, "w:styleId") ?? "";
    const numPr = child(child(style, "w:pPr"), "w:numPr");
    defs.styles.set(id, { numId: val(numPr, "w:numId"), ilvl: int(val(numPr, "w:ilvl")), basedOn: val(style, "w:basedOn") });
    if (type === "paragraph" && /^(?:1|true|on)$/.test(attr(style, "w:default") ?? "")) defs.defaultParagraphStyle = id;
  }
  return defs;
}

/** The numId/ilvl a paragraph's style chain gives it (the nearest style that says wins, per property). */
function styleNumbering(defs: NumberingDefs, styleId: string | undefined): { numId?: string; ilvl?: number } {
  const out: { numId?: string; ilvl?: number } = {};
  const seen = new Set<string>();
  for (let id = styleId; id !== undefined && !seen.has(id); id = defs.styles.get(id)?.basedOn) {
    seen.add(id);
    const s = defs.styles.get(id);
    if (!s) break;
    out.numId ??= s.numId;
    out.ilvl ??= s.ilvl;
  }
  return out;
}

export interface ParagraphNumbering {
  numId: string;
  ilvl: number;
}

/** The list a paragraph (its w:pPr) belongs to, or null. numId 0 means "numbering removed". */
export function paragraphNumbering(defs: NumberingDefs, pPr: XmlNode | undefined): ParagraphNumbering | null {
  const styleId = val(pPr, "w:pStyle") ?? defs.defaultParagraphStyle;
  const numPr = child(pPr, "w:numPr");
  const fromStyle = styleNumbering(defs, styleId);
  const numId = val(numPr, "w:numId") ?? fromStyle.numId;
  if (numId === undefined || numId === "0" || !defs.nums.has(numId)) return null;
  let ilvl = int(val(numPr, "w:ilvl")) ?? fromStyle.ilvl;
  if (ilvl === undefined && styleId !== undefined) {
    // A level tied to the paragraph's style by w:pStyle ("Heading 2" → level 1).
    const abstract = resolveAbstract(defs, numId);
    for (const [index, level] of abstract?.levels ?? []) if (level.paragraphStyle === styleId) ilvl = index;
  }
  return { numId, ilvl: Math.min(Math.max(ilvl ?? 0, 0), 8) };
}

/** The abstract definition behind a numId, following w:numStyleLink through numbering styles. */
export function resolveAbstract(defs: NumberingDefs, numId: string): AbstractNum | undefined {
  const seen = new Set<string>();
  let id: string | undefined = numId;
  while (id !== undefined && !seen.has(id)) {
    seen.add(id);
    const abstract = defs.abstracts.get(defs.nums.get(id)?.abstractId ?? "");
    if (!abstract?.numStyleLink) return abstract;
    id = styleNumbering(defs, abstract.numStyleLink).numId;
  }
  return undefined;
}
