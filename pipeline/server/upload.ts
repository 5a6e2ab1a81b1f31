import multipart, { type MultipartFile } from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Services } from "../services.ts";
import { isEdxml, mainAttachment, parseEdxml } from "../edxml/index.ts";
import { requireApiKey } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { fileNameFromContentDisposition, fileNameFromHeader } from "./filename.ts";
import { API_PREFIX, UPLOAD_MEDIA_TYPES, documentUrl } from "./schemas.ts";

/**
 * POST /api/v1/documents: a letter in, 202 out. Registered as its own
 * encapsulated plugin so its body parsers (raw bytes for the accepted types,
 * multipart) apply to this route only; JSON, the default, is refused with 415.
 *
 * Authentication runs in onRequest, before the body is read: an anonymous
 * client cannot make the server buffer an upload.
 */

// The same list the OpenAPI document publishes; "image/*" becomes a pattern for fastify.
const RAW_TYPES: Array<string | RegExp> = UPLOAD_MEDIA_TYPES.map((type) => (type === "image/*" ? /^image\/[\w.+-]+$/i : type));
const XML_TYPES = new Set(["application/xml", "text/xml"]);
// Metadata keys the server itself writes: a form field must not be able to pose as an authoritative edXML header.
const RESERVED_FIELD = /^edxml/i;
const DEFAULT_NAME = "upload";

interface Upload {
  bytes: Uint8Array;
  fileName: string;
  mediaType: string | null;
  metadata: Record<string, unknown>;
}

export async function uploadRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const limit = services.config.http.maxUploadBytes;
  app.removeAllContentTypeParsers();
  // One parser per type: fastify's typings take a string list or a single RegExp, not a mix.
  for (const type of RAW_TYPES) app.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: limit }, (_request, body, done) => done(null, body));
  await app.register(multipart, {
    throwFileSizeLimit: true,
    // busboy would cut "dir/name.pdf" to "name.pdf": the name is metadata and arrives as sent.
    preservePath: true,
    limits: { fileSize: limit, files: 1, fields: 50, fieldSize: 64 * 1024, parts: 60, headerPairs: 50 },
    // A part is the file when it has a file name or a non-text type (curl -F "file=@x;type=application/pdf" has both).
    isPartAFile: (_field, contentType, fileName) => fileName !== undefined || (contentType !== undefined && !contentType.startsWith("text/plain")),
  });

  app.post(`${API_PREFIX}/documents`, { bodyLimit: limit, onRequest: requireApiKey(services.config.http.apiKeys) }, async (request, reply) => {
    const idempotencyKey = idempotencyKeyOf(request);
    const upload = request.isMultipart() ? await readMultipart(request) : readRaw(request);
    const result = await accept(services, upload, idempotencyKey);
    const statusUrl = documentUrl(result.document.id);
    return reply.code(202).header("location", statusUrl).send({
      id: result.document.id,
      state: result.document.state,
      duplicate: result.created === false,
      statusUrl,
    });
  });
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers["idempotency-key"];
  if (key === undefined) return undefined;
  if (typeof key !== "string" || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters");
  }
  return key;
}

function readRaw(request: FastifyRequest): Upload {
  const body = request.body;
  // Fastify skips the parser for a body-less request: that is an empty upload, not a wrong type.
  if (body === undefined || body === null) throw new HttpError(400, "empty_file", "the request has no body");
  if (!Buffer.isBuffer(body)) {
    throw new HttpError(415, "unsupported_media_type", `send the file as the body (Content-Type one of ${UPLOAD_MEDIA_TYPES.join(", ")}) or as multipart/form-data`);
  }
  const disposition = request.headers["content-disposition"];
  const xFileName = request.headers["x-file-name"];
  const fileName =
    fileNameFromContentDisposition(typeof disposition === "string" ? disposition : undefined) ??
    fileNameFromHeader(typeof xFileName === "string" ? xFileName : undefined) ??
    DEFAULT_NAME;
  return { bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), fileName, mediaType: essence(request.headers["content-type"]), metadata: {} };
}

async function readMultipart(request: FastifyRequest): Promise<Upload> {
  let file: { part: MultipartFile; bytes: Buffer } | undefined;
  const metadata: Record<string, unknown> = {};
  for await (const part of request.parts()) {
    if (part.type === "file") {
      // limits.files is 1: a second file part ends the iteration with FST_FILES_LIMIT.
      file = { part, bytes: await part.toBuffer() };
      continue;
    }
    if (RESERVED_FIELD.test(part.fieldname)) throw new HttpError(400, "reserved_field", `the form field "${part.fieldname.slice(0, 64)}" is reserved`);
    const value = String(part.value);
    const previous = metadata[part.fieldname];
    metadata[part.fieldname] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  if (!file) throw new HttpError(400, "no_file", "the form has no file part");
  return {
    bytes: new Uint8Array(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    fileName: file.part.filename || DEFAULT_NAME,
    mediaType: essence(file.part.mimetype),
    metadata,
  };
}

/** The media type without parameters, lower case; null for "no idea" (octet-stream). */
function essence(contentType: string | undefined): string | null {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return !type || type === "application/octet-stream" ? null : type;
}

async function accept(services: Services, upload: Upload, idempotencyKey: string | undefined) {
  if (upload.bytes.byteLength === 0) throw new HttpError(400, "empty_file", "the file is empty");
  const common = { source: "http" as const, ...(idempotencyKey ? { idempotencyKey } : {}) };
  if (isEdxml(upload.bytes)) {
    const pkg = parseEdxml(upload.bytes);
    const main = await mainAttachment(pkg.attachments);
    const names = pkg.attachments.map((a, i) => a.name ?? a.contentId ?? `attachment-${i + 1}`);
    if (!main) {
      throw new HttpError(422, "edxml_no_document", `the edXML package has no PDF, Word, text or image attachment (attachments: ${names.join(", ") || "none"})`);
    }
    return services.ingest({
      ...common,
      bytes: main.bytes,
      fileName: main.name,
      mediaType: main.mediaType,
      metadata: { ...upload.metadata, edxml: pkg.fields, edxmlAttachments: names, edxmlPackage: upload.fileName },
    });
  }
  if (upload.mediaType && XML_TYPES.has(upload.mediaType)) {
    throw new HttpError(415, "unsupported_media_type", "XML is accepted only as an edXML package (root element edXMLEnvelope)");
  }
  return services.ingest({ ...common, bytes: upload.bytes, fileName: upload.fileName, mediaType: upload.mediaType, metadata: upload.metadata });
}
