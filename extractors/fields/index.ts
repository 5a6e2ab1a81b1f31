import type { DocumentFields, FieldProvenance, Reference, Task } from "../../schemas/extraction.ts";
import type { TextModel } from "../model.ts";
import { findRegions } from "./regions.ts";
import { extractHeader } from "./header.ts";
import { extractSigner } from "./signer.ts";
import { extractDistribution, extractRecipients } from "./recipients.ts";
import { extractReferences } from "./references.ts";
import { extractTasks } from "./tasks.ts";
import type { Found } from "./found.ts";

export interface ExtractedFields {
  document: DocumentFields;
  references: Reference[];
  tasks: Task[];
  fields: Record<string, FieldProvenance>;
}

/** Runs every field extractor over the model and gathers values with their provenance. */
export function extractFields(model: TextModel): ExtractedFields {
  const regions = findRegions(model.blocks);
  const header = extractHeader(model, regions);
  const signer = extractSigner(model.blocks, regions);
  const recipients = extractRecipients(model.blocks, regions);
  const distribution = extractDistribution(model.blocks, regions, signer);

  const all: Record<string, Found<unknown>> = { ...header, recipients, signer, distribution };
  const fields: Record<string, FieldProvenance> = {};
  for (const [name, f] of Object.entries(all)) fields[name] = { confidence: round(f.confidence), span: f.span };

  const document: DocumentFields = {
    type: header.type.value,
    number: header.number.value,
    symbol: header.symbol.value,
    issuer: header.issuer.value,
    issuerParent: header.issuerParent.value,
    place: header.place.value,
    date: header.date.value,
    subject: header.subject.value,
    recipients: recipients.value,
    signer: signer.value,
    distribution: distribution.value,
  };
  const ownNumber = header.symbol.value ? `${header.number.value ?? ""}|${header.symbol.value}` : null;
  const references = extractReferences(model, { ownNumber });
  const tasks = extractTasks(model, regions, { recipients: recipients.value });
  return { document, references, tasks, fields };
}

const round = (x: number) => Math.round(x * 100) / 100;
