import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { onCleanup } from "./cleanup.ts";

/**
 * The tracker the drill delivers to, on 127.0.0.1. Every request is checked
 * with the reference `standardwebhooks` library (not vanthu's own signing
 * code) and counted: per webhook-id (redeliveries of one id are expected
 * after a crash mid-send), and per task id + version, where more than one
 * webhook-id for the same task version is a duplicate the tracker could not
 * drop. It can refuse (503) or go away (port closed) and come back on the
 * same port, as a tracker outage looks from vanthu.
 */
export interface Arrival {
  webhookId: string;
  type: string;
  documentId: string | null;
  taskKey: string | null;
  taskId: string | null;
  count: number;
  firstAt: number;
}

export type ReceiverMode = "up" | "refusing" | "down";

export class AccountingReceiver {
  readonly secret = `whsec_${randomBytes(32).toString("base64")}`;
  readonly byWebhookId = new Map<string, Arrival>();
  /** task id + version → the distinct webhook-ids it arrived under. */
  readonly webhookIdsByTaskVersion = new Map<string, Set<string>>();
  /** Valid requests answered 2xx, counting redeliveries. */
  accepted = 0;
  /** Requests answered 503 while refusing. */
  refused = 0;
  invalidSignatures = 0;
  lastAcceptedAt = 0;
  private readonly verifier = new Webhook(this.secret);
  private server: Server | null = null;
  private port = 0;
  private mode: ReceiverMode = "down";
  private readonly undo = onCleanup("webhook receiver", () => this.close());

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/vanthu`;
  }

  get currentMode(): ReceiverMode {
    return this.mode;
  }

  get uniqueDeliveries(): number {
    return this.byWebhookId.size;
  }

  /** Listens (the first time on a free port, then on the same one again). */
  async up(): Promise<void> {
    if (!this.server) {
      const server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.port, "127.0.0.1", () => resolve());
      });
      this.port = (server.address() as AddressInfo).port;
      this.server = server;
    }
    this.mode = "up";
  }

  /** Still listening, but every request gets 503 (a tracker overloaded or in maintenance). */
  refuse(): void {
    this.mode = "refusing";
  }

  /** The port closes and open connections are cut: senders see ECONNREFUSED or a reset. */
  async down(): Promise<void> {
    this.mode = "down";
    await this.close();
  }

  async stop(): Promise<void> {
    await this.undo();
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.mode !== "up") {
      this.refused++;
      res.writeHead(503, { "content-type": "text/plain" }).end("tracker unavailable");
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
    let payload: { type?: string; data?: { document?: { id?: string }; task?: { id?: string; version?: number } } };
    try {
      payload = this.verifier.verify(body, headers) as typeof payload;
    } catch {
      this.invalidSignatures++;
      res.writeHead(401, { "content-type": "text/plain" }).end("invalid signature");
      return;
    }
    this.count(headers["webhook-id"]!, payload);
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  }

  private count(webhookId: string, payload: { type?: string; data?: { document?: { id?: string }; task?: { id?: string; version?: number } } }): void {
    this.accepted++;
    this.lastAcceptedAt = Date.now();
    const seen = this.byWebhookId.get(webhookId);
    if (seen) {
      seen.count++;
      return;
    }
    const task = payload.data?.task;
    const taskKey = task?.id ? `${task.id}#v${task.version}` : null;
    this.byWebhookId.set(webhookId, {
      webhookId,
      type: payload.type ?? "?",
      documentId: payload.data?.document?.id ?? null,
      taskKey,
      taskId: task?.id ?? null,
      count: 1,
      firstAt: Date.now(),
    });
    if (taskKey) {
      const ids = this.webhookIdsByTaskVersion.get(taskKey) ?? new Set<string>();
      ids.add(webhookId);
      this.webhookIdsByTaskVersion.set(taskKey, ids);
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
