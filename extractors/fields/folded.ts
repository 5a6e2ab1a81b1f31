import { fold } from "../text/normalize.ts";

/**
 * fold(piece) for a piece cut from a text the same way `foldedPiece` was cut from that text's fold
 * (or from the fold of a prefix of it). They are equal, since fold works per code unit and keeps
 * white space white space, except where folding a long text made a lone surrogate U+FFFD: such a
 * piece is folded on its own. Lets a caller that holds a text's fold read pieces of it for free.
 */
export function sameFold(piece: string, foldedPiece: string): string {
  return foldedPiece.includes("\uFFFD") ? fold(piece) : foldedPiece;
}
