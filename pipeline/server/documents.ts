import type { FastifyInstance } from "fastify";
import type { DocumentRecord } from "../../schemas/document.ts";
import type { Services } from "../services.ts";
import { requireApiKey } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { contentDisposition } from "./filename.ts";
import { API_PREFIX, IdParamsSchema, ListQuerySchema, coerceListQuery } from "./schemas.ts";

/** Reading documents: the list, one document with its extraction and events, and its original bytes. */

// Media types served as themselves; anything else goes out as application/octet-stream. With
// Content-Disposition: attachment and nosniff a browser saves rather than renders either way.
const SERVED_TYPES = new Set([
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "text/plain",
  "image/png",
  "image/jpeg",
  "image/tiff",
  "image/gif",
  "image/webp",
]);

export async function documentRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { store } = opts.services;
  app.addHook("onRequest", requireApiKey(opts.services.config.http.apiKeys));

  app.get(`${API_PREFIX}/documents`, async (request) => {
    const parsed = ListQuerySchema.safeParse(coerceListQuery(request.query));
    if (!parsed.success) {
      const summary = parsed.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`).join("; ");
      throw new HttpError(400, "invalid_query", `invalid query: ${summary}`, { issues: parsed.error.issues });
    }
    const query = parsed.data;
    // The store compares ISO strings: give it one in UTC whatever offset the client wrote.
    if (query.since !== undefined) query.since = new Date(query.since).toISOString();
    const { items, total } = await store.listDocuments(query);
    return { items, total };
  });

  app.get(`${API_PREFIX}/documents/:id`, async (request) => {
    const document = await findDocument(opts.services, request.params);
    const [extraction, events] = await Promise.all([store.latestExtraction(document.id), store.events(document.id)]);
    return { document, extraction, events };
  });

  app.get(`${API_PREFIX}/documents/:id/original`, async (request, reply) => {
    const document = await findDocument(opts.services, request.params);
    let bytes: Uint8Array;
    try {
      bytes = await opts.services.readOriginal(document);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      throw new HttpError(404, "original_not_found", `the original of document ${document.id} is no longer stored`);
    }
    const type = document.mediaType && SERVED_TYPES.has(document.mediaType.toLowerCase()) ? document.mediaType.toLowerCase() : "application/octet-stream";
    return reply
      .header("content-type", type)
      .header("content-disposition", contentDisposition(document.fileName))
      .header("x-content-type-options", "nosniff")
      .header("cache-control", "private, no-store")
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

async function findDocument(services: Services, params: unknown): Promise<DocumentRecord> {
  const parsed = IdParamsSchema.safeParse(params);
  const document = parsed.success ? await services.store.getDocument(parsed.data.id) : null;
  if (!document) throw new HttpError(404, "not_found", "no such document");
  return document;
}
