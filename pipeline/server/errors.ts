import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/**
 * Every failure answers `{ error: code, message }` (plus `issues` for a bad
 * query): a stable code a client can branch on and a message a person can
 * read. Stack traces and internal messages stay in the log, keyed by the
 * request id the response carries in X-Request-Id.
 */

export interface Problem {
  error: string;
  message: string;
  [extra: string]: unknown;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function sendProblem(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).type("application/json; charset=utf-8").send({ error: code, message, ...extra } satisfies Problem);
}

// Fastify's and @fastify/multipart's own errors, by code: status, our code, a message safe to show.
const FRAMEWORK_ERRORS: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, "payload_too_large", "the request body is over the upload limit"],
  FST_REQ_FILE_TOO_LARGE: [413, "payload_too_large", "the file is over the upload limit"],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, "unsupported_media_type", "this Content-Type is not accepted here"],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, "bad_request", "Content-Length does not match the body"],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, "bad_request", "the body is empty"],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [415, "unsupported_media_type", "the request is not multipart"],
  FST_FILES_LIMIT: [400, "too_many_files", "send one file per request"],
  FST_FIELDS_LIMIT: [400, "too_many_fields", "too many form fields"],
  FST_PARTS_LIMIT: [400, "too_many_fields", "too many form parts"],
  FST_PROTO_VIOLATION: [400, "bad_request", "a form field name is not allowed"],
  FST_ERR_VALIDATION: [400, "bad_request", undefined],
};

// Named errors of the ingest step and the readers (IngestRejected, ReadError): matched by code, not by class,
// so the server needs no import of the modules that throw them.
const INGEST_ERRORS: Record<string, number> = {
  too_large: 413,
  empty_file: 400,
  unsupported_format: 415,
  unsupported_encoding: 415,
  invalid_edxml: 400,
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(reply, error.statusCode, error.code, error.message, error.extra);
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string") {
      const known = FRAMEWORK_ERRORS[code];
      if (known) return sendProblem(reply, known[0], known[1], known[2] ?? error.message);
      const status = INGEST_ERRORS[code];
      if (status) return sendProblem(reply, status, code, error.message);
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // Another client error raised by fastify (a malformed header, a bad URL): its message describes the request.
      return sendProblem(reply, status, "bad_request", error.message);
    }
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, 500, "internal", "internal error; the server log has the details under this request's id");
  });

  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, "not_found", `no route ${request.method} ${(request.url.split("?")[0] ?? "").slice(0, 200)}`));
}
