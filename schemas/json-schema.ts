import { z } from "zod";
import { ExtractionSchema } from "./extraction.ts";
import { WebhookPayloadSchema } from "./webhook.ts";
import { ConfigSchema } from "./config.ts";

/** The schemas vanthu publishes, by the name `vanthu schema NAME` takes. */
const PUBLISHED = {
  extraction: ExtractionSchema,
  webhook: WebhookPayloadSchema,
  config: ConfigSchema,
} as const;

export type PublishedSchemaName = keyof typeof PUBLISHED;
export const PUBLISHED_SCHEMA_NAMES = Object.keys(PUBLISHED) as PublishedSchemaName[];

/** JSON Schema (draft 2020-12) generated from the zod schema: zod stays the single source of truth. */
export function jsonSchemaFor(name: PublishedSchemaName): Record<string, unknown> {
  return {
    $id: `https://vanthu.local/schemas/${name}.json`,
    // The configuration is published as its input (what a file or the environment may hold): its
    // comma-list and boolean-string fields are transformed on the way in, which an output schema cannot show.
    ...z.toJSONSchema(PUBLISHED[name], { target: "draft-2020-12", io: name === "config" ? "input" : "output", unrepresentable: "any" }),
  };
}
