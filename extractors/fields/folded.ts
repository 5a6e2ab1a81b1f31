import { fold } from "../text/normalize.ts";

// Where a fold made of pieces and the fold of the whole can differ: fold keeps a lone surrogate
// in a short text and makes it U+FFFD in a long one, so a surrogate or U+FFFD may mark a difference.
const MAY_FOLD_APART = /[\ud800-\udfff\ufffd]/;

/**
 * fold(piece), given `foldedPiece`: the piece cut from a text's fold the way `piece` was cut from
 * the text, or joined from its parts' folds the way `piece` was joined. They are equal, since fold
 * works per code unit and keeps white space white space, unless a surrogate or U+FFFD is in it:
 * such a piece is folded on its own. Lets a caller that holds a fold read pieces of it for free.
 */
export function sameFold(piece: string, foldedPiece: string): string {
  return MAY_FOLD_APART.test(foldedPiece) ? fold(piece) : foldedPiece;
}
