import type { Extraction } from "../schemas/extraction.ts";
import type { TextModel } from "./model.ts";
import { readDocument } from "./readers/index.ts";
import { readPlainText } from "./readers/text.ts";
import { extractFields } from "./fields/index.ts";

/** Bumped whenever a rule changes what is extracted; stored with every extraction. */
export const EXTRACTOR_VERSION = "0.1.0";

export interface ExtractOptions {
  /** The file's name, used in error messages and provenance only, never as a path. */
  fileName?: string;
}

/** Reads the bytes (format detected by content) and extracts the letter's fields and tasks. */
export async function extract(bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extraction> {
  const model = await readDocument(bytes, options);
  return extractFromModel(model, options);
}

/** Extraction from already-decoded text: the fast path used by benchmarks and tests. */
export function extractFromText(text: string, options: ExtractOptions = {}): Extraction {
  return extractFromModel(readPlainText(text, { encoding: "utf-8" }), options);
}

export function extractFromModel(model: TextModel, options: ExtractOptions = {}): Extraction {
  const { document, references, tasks, fields } = extractFields(model);
  return {
    document,
    references,
    tasks,
    provenance: {
      extractorVersion: EXTRACTOR_VERSION,
      source: { ...(options.fileName ? { fileName: options.fileName } : {}), ...model.source },
      fields,
    },
  };
}
