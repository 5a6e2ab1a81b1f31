import { ListCounters } from "./labels.ts";
import { paragraphNumbering, type NumberingDefs } from "./numbering.ts";
import { child, childrenOf, nameOf, type XmlNode } from "./xml.ts";

/**
 * Ties mammoth's paragraphs to document.xml's. mammoth reads the text well
 * (runs, fields, hyperlinks, content controls, tracked changes, tables) but
 * hides which w:p a paragraph came from, and the list label needs that.
 * Matching by position is fragile (mammoth merges a paragraph whose mark was
 * deleted into the next and reads text boxes inline), so every w:p gets a
 * marker run carrying its ordinal before mammoth sees the part; the marker
 * comes back in the paragraph's text, which says which w:p it was.
 *
 * The same walk replays the list counters in document order, which is the
 * order Word numbers paragraphs in.
 */

/** Private-use characters: no letter contains them, and they are stripped from every line. */
export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";
export const MARKER = /\uE000(\d+)\uE001/g;

export interface MarkedParagraphs {
  /** The label Word shows before paragraph N ("1.", "a)", "-"), or null, by ordinal. */
  labels: (string | null)[];
  /** numFmt values met that were written as decimal. */
  unknownFormats: string[];
}

/** Adds the marker run to every w:p of the main document (in place) and computes each paragraph's label. */
export function markParagraphs(documentRoot: XmlNode[], defs: NumberingDefs): MarkedParagraphs {
  const counters = new ListCounters(defs);
  const labels: (string | null)[] = [];
  const visit = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      const name = nameOf(node);
      // Drawings hold a text box twice: mc:Choice (DrawingML) and mc:Fallback (VML).
      // mammoth reads the fallback; numbering must count the box once too.
      if (name === "mc:Choice") continue;
      if (name === "w:p") {
        const children = childrenOf(node);
        const pPr = child(node, "w:pPr");
        const ordinal = labels.length;
        // A paragraph whose mark is a tracked deletion merges into the next one (as mammoth reads it): no number.
        const deleted = child(child(pPr, "w:rPr"), "w:del") !== undefined;
        const numbering = deleted ? null : paragraphNumbering(defs, pPr);
        labels.push(numbering ? counters.next(numbering.numId, numbering.ilvl) : null);
        const marker: XmlNode = { "w:r": [{ "w:t": [{ "#text": `${MARK_OPEN}${ordinal}${MARK_CLOSE}` }] }] };
        children.splice(pPr ? children.indexOf(pPr) + 1 : 0, 0, marker);
        if (!Array.isArray(node["w:p"])) node["w:p"] = children;
        visit(children); // text boxes nest paragraphs inside a paragraph's runs
        continue;
      }
      visit(childrenOf(node));
    }
  };
  visit(documentRoot);
  return { labels, unknownFormats: [...counters.unknownFormats] };
}
