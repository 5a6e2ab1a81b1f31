import type { Reference } from "../../schemas/extraction.ts"; import type { TextModel } from "../model.ts";
export function extractReferences(_m: TextModel, _o: { ownNumber: string | null }): Reference[] { return []; }
