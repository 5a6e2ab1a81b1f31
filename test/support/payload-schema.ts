import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { jsonSchemaFor } from "../../schemas/json-schema.ts";

/**
 * The webhook payload's published JSON Schema (what `vanthu schema webhook`
 * prints), compiled by an independent validator: delivered bodies are checked
 * against the document trackers are given, not against our own zod code.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(jsonSchemaFor("webhook"));

export function assertValidPayload(body: unknown): void {
  if (!validate(body)) throw new Error(`payload does not match the published JSON Schema: ${ajv.errorsText(validate.errors)}`);
}
