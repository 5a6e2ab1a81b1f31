import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * A stand-in task tracker for delivery tests, on 127.0.0.1. It checks every
 * request with the reference `standardwebhooks` library (never with vanthu's
 * own signing code, which would only prove the code agrees with itself),
 * records what arrived, and answers as scripted.
 */

export interface ReceivedDelivery {
  rawBody: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
  webhookId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  signatureValid: boolean;
  /** Why verification failed, from the library. */
  verifyError?: string;
  headers: Record<string, string>;
  method: string;
  path: string;
  arrivedAt: number;
}

/** A status, or a full response. `delayMs` holds the answer back (to outlast the sender's timeout). */
export type ScriptedResponse = number | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

export interface ReceiverOptions {
  /** "whsec_..." secrets this tracker knows; a request is valid if any of them verifies it. */
  secrets: string[];
  /** Answer 401 to a bad signature, as a real tracker would (default true). */
  rejectInvalid?: boolean;
}

const MAX_BODY = 1024 * 1024;

export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly verifiers: Webhook[];
  private readonly rejectInvalid: boolean;
  private script: ScriptedResponse[] = [];
  private server: Server | undefined;
  private port = 0;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(options: ReceiverOptions) {
    this.verifiers = options.secrets.map((secret) => new Webhook(secret));
    this.rejectInvalid = options.rejectInvalid ?? true;
  }

  get url(): string {
    if (!this.port) throw new Error("receiver not started");
    return `http://127.0.0.1:${this.port}/hooks/vanthu`;
  }

  /**
   * Answers for the next requests, in order; the last one repeats once the
   * list is used up (so respondWith(410) means "always 410"). With nothing
   * scripted the answer is 200.
   */
  respondWith(...responses: ScriptedResponse[]): this {
    this.script = responses;
    return this;
  }

  /** One delivery per webhook-id, the first valid one: what an idempotent tracker would act on. */
  uniqueById(): ReceivedDelivery[] {
    const seen = new Map<string, ReceivedDelivery>();
    for (const delivery of this.received) {
      if (delivery.signatureValid && delivery.webhookId !== undefined && !seen.has(delivery.webhookId)) seen.set(delivery.webhookId, delivery);
    }
    return [...seen.values()];
  }

  /** Listens on a random port the first time, then on the same port again (a tracker coming back up). */
  async start(): Promise<void> {
    if (this.server) return;
    // A request this receiver cannot read (over 1 MiB, aborted) just drops the connection.
    const server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Goes down hard: held-back answers are dropped and open connections cut, so senders see a refusal or a reset. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
    const delivery: ReceivedDelivery = {
      rawBody,
      json: parseJson(rawBody),
      webhookId: headers["webhook-id"],
      timestamp: headers["webhook-timestamp"],
      signature: headers["webhook-signature"],
      signatureValid: false,
      headers,
      method: req.method ?? "",
      path: req.url ?? "",
      arrivedAt: Date.now(),
    };
    const errors: string[] = [];
    for (const verifier of this.verifiers) {
      try {
        verifier.verify(rawBody, headers);
        delivery.signatureValid = true;
        break;
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (!delivery.signatureValid) delivery.verifyError = errors.join("; ");
    this.received.push(delivery);

    if (!delivery.signatureValid && this.rejectInvalid) return reply(res, { status: 401, body: "invalid signature" });
    const scripted = this.script.length > 1 ? this.script.shift()! : (this.script[0] ?? 200);
    const response = typeof scripted === "number" ? { status: scripted } : scripted;
    if (!response.delayMs) return reply(res, response);
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (!res.destroyed) reply(res, response);
    }, response.delayMs);
    this.pending.add(timer);
  }
}

function reply(res: ServerResponse, response: { status: number; headers?: Record<string, string>; body?: string }): void {
  res.writeHead(response.status, { "content-type": "text/plain; charset=utf-8", ...response.headers });
  res.end(response.body ?? (response.status === 204 || response.status === 304 ? undefined : `status ${response.status}`));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error("request body over 1 MiB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
