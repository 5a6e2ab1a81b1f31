export * from "./extraction.ts";
export * from "./json-schema.ts";
