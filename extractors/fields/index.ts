import type { DocumentFields, FieldProvenance, Reference, Task } from "../../schemas/extraction.ts";
import type { TextModel } from "../model.ts";

export interface ExtractedFields {
  document: DocumentFields;
  references: Reference[];
  tasks: Task[];
  fields: Record<string, FieldProvenance>;
}

// Placeholder while the field extractors are written.
export function extractFields(_model: TextModel): ExtractedFields {
  return {
    document: {
      type: "unknown", number: null, symbol: null, issuer: null, issuerParent: null, place: null, date: null,
      subject: null, recipients: [], signer: { name: null, title: null, authority: null }, distribution: [],
    },
    references: [],
    tasks: [],
    fields: {},
  };
}
