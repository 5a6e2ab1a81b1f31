import type { SourceSpan } from "../model.ts";

/** A value with where it came from and how sure the rule that found it is. */
export interface Found<T> {
  value: T;
  confidence: number;
  span: SourceSpan | null;
}

export const notFound = <T>(value: T): Found<T> => ({ value, confidence: 0, span: null });
export const found = <T>(value: T, confidence: number, span: SourceSpan | null): Found<T> => ({ value, confidence, span });
