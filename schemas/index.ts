export * from "./extraction.ts";
export * from "./json-schema.ts";
export * from "./document.ts";
export * from "./config.ts";
export * from "./webhook.ts";
export * from "./review.ts";
