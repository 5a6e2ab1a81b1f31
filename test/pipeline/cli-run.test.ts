import { describe, it, expect } from "vitest";
import { execFile, spawn } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { WebhookReceiver } from "../support/webhook-receiver.ts";
import { assertValidPayload } from "../support/payload-schema.ts";
import { distinctLetters, dropInto, root, tempDir, waitFor } from "./helpers.ts";

/** `vanthu run` as a user starts it: one process, embedded store and queue, folder and HTTP. */
const run = promisify(execFile);
const vanthu = join(root, "bin/vanthu.mjs");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe("vanthu run", () => {
  it("--until-idle processes a folder of letters with no Redis and no database server, then exits", async () => {
    const dataDir = await tempDir("run-idle");
    const inbox = join(dataDir, "inbox");
    await mkdir(inbox, { recursive: true });
    await dropInto(inbox, await distinctLetters(12));
    await writeFile(join(inbox, "broken.pdf"), "%PDF-1.7\nnot really");
    const env = { ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_STABLE_MS: "200", VANTHU_LOG_LEVEL: "warn", REDIS_URL: "", DATABASE_URL: "" };
    const result = await run(process.execPath, [vanthu, "run", "--until-idle", "--no-http"], { cwd: root, env, timeout: 60_000 });
    expect(result.stderr).toContain("12 to_review");
    expect(result.stderr).toContain("1 failed");
    expect(await readdir(inbox)).toEqual([]);

    const status = await run(process.execPath, [vanthu, "status", "--json"], { cwd: root, env });
    const parsed = JSON.parse(status.stdout);
    expect(parsed.documents.to_review).toBe(12);
    expect(parsed.queue).toBe("in-process");

    // The broken file waits in failed/; requeue sends it back (it fails again, with its reason kept).
    const requeued = await run(process.execPath, [vanthu, "requeue", "--failed"], { cwd: root, env });
    expect(requeued.stdout).toContain("1 requeued");
  }, 90_000);

  it("a letter dropped in the folder and approved over the API reaches the tracker as verified, routed task events", async () => {
    const dataDir = await tempDir("run-deliver");
    const port = await freePort();
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const receiver = new WebhookReceiver({ secrets: [secret] });
    await receiver.start();
    const endpoints = [{ id: "tracker", url: receiver.url, secretEnv: "TRACKER_SECRET" }];
    const env = {
      ...process.env,
      VANTHU_DATA_DIR: dataDir,
      VANTHU_HTTP_PORT: String(port),
      VANTHU_API_KEYS: "k-deliver",
      VANTHU_ENDPOINTS: JSON.stringify(endpoints),
      TRACKER_SECRET: secret,
      VANTHU_ORG_DIRECTORY: join(root, "fixtures/org-directory.example.json"),
      VANTHU_STABLE_MS: "200",
      VANTHU_LOG_LEVEL: "warn",
      REDIS_URL: "",
      DATABASE_URL: "",
    };
    const child = spawn(process.execPath, [vanthu, "run"], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.on("data", () => undefined);
    const auth = { authorization: "Bearer k-deliver" };
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor("server up", async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 30_000);
      const [letter] = await distinctLetters(1, "folder-to-tracker");
      await writeFile(join(dataDir, "inbox", "cong-van-1302.txt"), letter!.text);
      const listed = await waitFor("extracted from the folder", async () => {
        const body = (await (await fetch(`${base}/api/v1/documents?state=to_review`, { headers: auth })).json()) as { items: { id: string }[] };
        return body.items[0];
      }, 30_000);
      const approved = await fetch(`${base}/api/v1/documents/${listed.id}/approve`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ by: "reviewer" }) });
      expect(approved.status).toBe(200);
      await waitFor("delivered", async () => {
        const body = (await (await fetch(`${base}/api/v1/documents/${listed.id}`, { headers: auth })).json()) as { document: { state: string } };
        return body.document.state === "delivered";
      }, 30_000);
      const events = receiver.uniqueById();
      expect(events.length).toBeGreaterThanOrEqual(5);
      expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
      for (const e of events) assertValidPayload(e.json);
      const routed = events.map((e) => (e.json as { data: { task: { assignees: { trackerId: string | null }[] } } }).data.task.assignees).flat();
      expect(routed.some((a) => a.trackerId === "unit-vp")).toBe(true);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await receiver.stop();
    }
  }, 60_000);

  it("serves the ingest API and the folder at once; an uploaded letter is extracted and visible by id", async () => {
    const dataDir = await tempDir("run-http");
    const port = await freePort();
    const env = { ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_HTTP_PORT: String(port), VANTHU_API_KEYS: "test-key-123", VANTHU_STABLE_MS: "200", VANTHU_LOG_LEVEL: "warn", REDIS_URL: "", DATABASE_URL: "" };
    const child = spawn(process.execPath, [vanthu, "run"], { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor("server up", async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok, 30_000);
      const [letter] = await distinctLetters(1);
      const unauthorised = await fetch(`${base}/api/v1/documents`, { method: "POST", body: letter!.text, headers: { "content-type": "text/plain" } });
      expect(unauthorised.status).toBe(401);
      const accepted = await fetch(`${base}/api/v1/documents`, {
        method: "POST",
        body: letter!.text,
        headers: { "content-type": "text/plain", authorization: "Bearer test-key-123", "x-file-name": "cong-van.txt", "idempotency-key": "abc-1" },
      });
      expect(accepted.status).toBe(202);
      const { id, statusUrl } = (await accepted.json()) as { id: string; statusUrl: string };
      const doc = await waitFor("extracted", async () => {
        const r = await fetch(`${base}${statusUrl}`, { headers: { authorization: "Bearer test-key-123" } });
        const body = (await r.json()) as { document?: { state: string }; state?: string; extraction?: unknown };
        const state = body.document?.state ?? body.state;
        return state === "to_review" ? body : null;
      }, 30_000);
      expect(JSON.stringify(doc)).toContain(id);
      // The same Idempotency-Key answers with the same document.
      const again = await fetch(`${base}/api/v1/documents`, {
        method: "POST",
        body: letter!.text + " ",
        headers: { "content-type": "text/plain", authorization: "Bearer test-key-123", "idempotency-key": "abc-1" },
      });
      expect(((await again.json()) as { id: string }).id).toBe(id);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/vanthu_documents\{state="to_review"\} 1/);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    expect(stderr).not.toMatch(/"level":50/); // no error logged
  }, 60_000);
});
