import { fold } from "../text/normalize.ts";
import { moreWordsThan } from "../text/chars.ts";

/**
 * Items that only name places: "1. Phường Nghĩa An, thành phố X;", "2. Xã
 * Y, huyện Z.". A decision that recognises or lists localities enumerates
 * them as numbered items under an article (ND 30/2020, Phụ lục I: the
 * articles of a Quyết định); such an item asks nobody to do anything, so it is
 * no task. (Bodies are not tested: a body's name runs into its predicate
 * when the verb is one the party rules do not know.)
 */

// Administrative units that open a place name (lower case inside a list, capitalised at its start).
const ADMIN_UNITS = "tinh|thanh pho|thi xa|thi tran|quan|huyen|phuong|xa|thon|ap|khu pho|to dan pho|dac khu";
const ADMIN_UNIT = new RegExp(`^(?:${ADMIN_UNITS})(?= |$)`);
// A unit with a name after it, read from the start of an item (the longest unit and its space fit in 12 characters).
const ADMIN_UNIT_AND_NAME = new RegExp(`^(?:${ADMIN_UNITS}) `);
const PROPER_WORD = /^(?:\p{Lu}[\p{L}\p{M}]*|\d+)$/u;
/** A list of places is short; a longer item is prose whatever its words. */
const MAX_WORDS = 24;

/** Whether one piece of a list is a place ("Phường Nghĩa An", "thành phố X"): a unit, then a proper name. */
function isPlace(piece: string): boolean {
  const unit = ADMIN_UNIT.exec(fold(piece));
  if (!unit) return false;
  const words = piece.slice(unit[0].length).trim().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.every((w) => PROPER_WORD.test(w));
}

/** Generous upper bound of an item of MAX_WORDS words, in characters: longer text is rejected before any regex runs. */
const MAX_CHARS = MAX_WORDS * 24;

/** The item is a list of places and nothing else: no predicate, no request. */
export function placesOnly(text: string): boolean {
  // Asked of every numbered item: most are prose, turned away by length first.
  if (text.length > MAX_CHARS) return false;
  let end = text.length;
  while (end > 0 && " \t\n.;,:".includes(text[end - 1]!)) end--;
  const body = text.slice(0, end).trim();
  if (!body) return false;
  // The first piece must be a place too: unless a separator leads, the body opens with a unit and a space.
  if (!/^[,;]/.test(body) && !ADMIN_UNIT_AND_NAME.test(fold(body.slice(0, 12)))) return false;
  if (moreWordsThan(body, MAX_WORDS)) return false;
  const pieces = body.split(/\s*[,;]\s*|\s+và\s+/u).filter(Boolean);
  return pieces.length > 0 && pieces.every(isPlace);
}
