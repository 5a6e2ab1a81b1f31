import { jsonSchemaFor, PUBLISHED_SCHEMA_NAMES, type PublishedSchemaName } from "../../schemas/json-schema.ts";
import { EXIT_OK, EXIT_USAGE, type CommandIO } from "./io.ts";

export const DEFAULT_SCHEMA_NAME: PublishedSchemaName = "extraction";

function isPublishedName(name: string): name is PublishedSchemaName {
  return (PUBLISHED_SCHEMA_NAMES as readonly string[]).includes(name);
}

/** `vanthu schema [name]`: prints the JSON Schema, pretty, to stdout. */
export function runSchema(name: string | undefined, io: CommandIO): number {
  const wanted = name ?? DEFAULT_SCHEMA_NAME;
  if (!isPublishedName(wanted)) {
    io.stderr(`vanthu: unknown schema ${JSON.stringify(wanted)}; published schemas: ${PUBLISHED_SCHEMA_NAMES.join(", ")}\n`);
    return EXIT_USAGE;
  }
  io.stdout(`${JSON.stringify(jsonSchemaFor(wanted), null, 2)}\n`);
  return EXIT_OK;
}
