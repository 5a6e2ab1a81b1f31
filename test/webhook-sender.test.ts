import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STANDARD_RETRY_SCHEDULE } from "../schemas/webhook.ts";
import { packageVersion } from "../pipeline/cli/version.ts";
import { nextAttemptDelayMs } from "../pipeline/delivery/schedule.ts";
import { sendWebhook, type SendRequest } from "../pipeline/delivery/sender.ts";
import { parseSecrets, signatureHeader } from "../pipeline/delivery/signing.ts";
import { WebhookReceiver } from "./support/webhook-receiver.ts";

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const OLD = newSecret();
const NEW = newSecret();

const BODY = JSON.stringify({
  type: "task.created",
  timestamp: "2024-03-15T08:00:00.000Z",
  data: { task: { id: "t-1", version: 1, ref: "II.1", text: "Báo cáo kết quả trước ngày 30/3", assignees: [{ name: "Sở Tài chính", trackerId: "stc" }] } },
});

const receivers: WebhookReceiver[] = [];
async function receiver(secrets: string[]): Promise<WebhookReceiver> {
  const r = new WebhookReceiver({ secrets });
  await r.start();
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

let seq = 0;
function send(url: string, extra: Partial<SendRequest> = {}) {
  return sendWebhook({ url, timeoutMs: 2_000, secrets: parseSecrets(NEW), webhookId: `msg_test${++seq}`, body: BODY, ...extra });
}

describe("parseSecrets", () => {
  it("reads one secret, or two separated by spaces and/or commas", () => {
    expect(parseSecrets(NEW)).toHaveLength(1);
    expect(parseSecrets(NEW)[0]).toEqual(new Uint8Array(Buffer.from(NEW.slice(6), "base64")));
    expect(parseSecrets(` ${OLD}, ${NEW} `)).toHaveLength(2);
    expect(parseSecrets(`${OLD} ${NEW}`)).toHaveLength(2);
    expect(parseSecrets(`${OLD},${NEW}`)).toHaveLength(2);
  });

  it("rejects malformed secrets by position, without echoing them", () => {
    const key = randomBytes(32).toString("base64");
    const cases: [string, RegExp][] = [
      ["", /none given/],
      [key, /secret 1 of 1: does not start with "whsec_"/],
      [`${NEW} whsec_${key.slice(0, 20)}!!`, /secret 2 of 2: .*not base64/],
      [`whsec_${randomBytes(8).toString("base64")}`, /8 bytes.*24 to 64/],
    ];
    for (const [value, message] of cases) {
      let error: Error | undefined;
      try {
        parseSecrets(value);
      } catch (caught) {
        error = caught as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(key.slice(0, 12));
      expect(error?.message).not.toContain(NEW.slice(6, 18));
    }
  });

  it("signs once per secret and refuses to sign with none", () => {
    const header = signatureHeader(parseSecrets(`${OLD} ${NEW}`), "msg_1", 1_700_000_000, BODY);
    expect(header).toMatch(/^v1,[A-Za-z0-9+/]{43}= v1,[A-Za-z0-9+/]{43}=$/);
    expect(() => signatureHeader([], "msg_1", 1_700_000_000, BODY)).toThrow(/no secrets/);
  });
});

describe("sendWebhook against a tracker that verifies with standardwebhooks", () => {
  it("delivers a signed POST that the library verifies", async () => {
    const tracker = await receiver([NEW]);
    const outcome = await send(tracker.url, { webhookId: "msg_one" });
    expect(outcome).toMatchObject({ result: "delivered", status: 200, responseExcerpt: "status 200" });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    const [got] = tracker.received;
    expect(got).toMatchObject({ signatureValid: true, webhookId: "msg_one", method: "POST", rawBody: BODY });
    expect(got!.json).toEqual(JSON.parse(BODY));
    expect(got!.headers["content-type"]).toBe("application/json");
    expect(got!.headers["user-agent"]).toBe(`vanthu/${packageVersion()}`);
    expect(Math.abs(Number(got!.timestamp) - Date.now() / 1000)).toBeLessThan(5);
  });

  it("signs with both secrets during rotation: a tracker knowing only the old or only the new one verifies", async () => {
    const knowsNew = await receiver([NEW]);
    const knowsOld = await receiver([OLD]);
    const knowsNeither = await receiver([newSecret()]);
    const secrets = parseSecrets(`${OLD},${NEW}`);
    expect((await send(knowsNew.url, { secrets })).result).toBe("delivered");
    expect((await send(knowsOld.url, { secrets })).result).toBe("delivered");
    expect(knowsNew.received[0]!.signature!.split(" ")).toHaveLength(2);
    expect(knowsNew.received[0]!.signatureValid).toBe(true);
    expect(knowsOld.received[0]!.signatureValid).toBe(true);
    // A secret the tracker doesn't know is rejected, and a 401 is not retried.
    expect(await send(knowsNeither.url, { secrets })).toMatchObject({ result: "failed", status: 401 });
    expect(knowsNeither.received[0]!.verifyError).toMatch(/No matching signature/);
  });

  it("keeps the webhook-id across retries while timestamp and signature are fresh", async () => {
    const tracker = (await receiver([NEW])).respondWith(500, 500, 200);
    const base = Date.now();
    const results = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      // Seconds apart, as real retries are (and still within the library's 5-minute tolerance).
      results.push((await send(tracker.url, { webhookId: "msg_retry", now: () => base + attempt * 7_000 })).result);
    }
    expect(results).toEqual(["retry", "retry", "delivered"]);
    const got = tracker.received;
    expect(got.map((d) => d.signatureValid)).toEqual([true, true, true]);
    expect(new Set(got.map((d) => d.webhookId))).toEqual(new Set(["msg_retry"]));
    expect(new Set(got.map((d) => d.timestamp)).size).toBe(3);
    expect(new Set(got.map((d) => d.signature)).size).toBe(3);
    expect(tracker.uniqueById()).toHaveLength(1);
  });

  it("fails verification when the body is changed in transit", async () => {
    const tracker = await receiver([NEW]);
    const tamper: typeof fetch = (input, init) => fetch(input, { ...init, body: BODY.replace("30/3", "30/4") });
    const outcome = await send(tracker.url, { fetch: tamper });
    expect(outcome).toMatchObject({ result: "failed", status: 401 });
    expect(tracker.received[0]).toMatchObject({ signatureValid: false });
    expect(tracker.received[0]!.rawBody).toContain("30/4");
    expect(tracker.uniqueById()).toHaveLength(0);
  });

  describe("classifies the tracker's answer", () => {
    let tracker: WebhookReceiver;
    beforeAll(async () => {
      tracker = new WebhookReceiver({ secrets: [NEW] });
      await tracker.start();
    });
    afterAll(() => tracker.stop());

    it.each([
      [200, "delivered"],
      [204, "delivered"],
      [500, "retry"],
      [503, "retry"],
      [408, "retry"],
      [429, "retry"],
      [400, "failed"],
      [401, "failed"],
      [404, "failed"],
      [410, "disable"],
    ] as const)("%i → %s", async (status, result) => {
      tracker.respondWith(status);
      const outcome = await send(tracker.url);
      expect(outcome).toMatchObject({ result, status });
      expect(outcome.retryAfterMs).toBeUndefined();
    });

    it("429 with Retry-After in seconds", async () => {
      tracker.respondWith({ status: 429, headers: { "retry-after": "120" } });
      expect(await send(tracker.url)).toMatchObject({ result: "retry", status: 429, retryAfterMs: 120_000 });
    });

    it("503 with Retry-After as an HTTP-date", async () => {
      const now = Date.now();
      tracker.respondWith({ status: 503, headers: { "retry-after": new Date(now + 90_000).toUTCString() } });
      const outcome = await send(tracker.url, { now: () => now });
      expect(outcome).toMatchObject({ result: "retry", status: 503 });
      // HTTP-dates have whole seconds.
      expect(outcome.retryAfterMs).toBeGreaterThan(89_000);
      expect(outcome.retryAfterMs).toBeLessThanOrEqual(90_000);
    });

    it("caps Retry-After at 24 hours and ignores it on a failure", async () => {
      tracker.respondWith({ status: 429, headers: { "retry-after": "9999999" } });
      expect((await send(tracker.url)).retryAfterMs).toBe(24 * 3600 * 1000);
      tracker.respondWith({ status: 400, headers: { "retry-after": "30" } });
      expect((await send(tracker.url)).retryAfterMs).toBeUndefined();
    });

    it("302 is a failure and is not followed", async () => {
      const before = tracker.received.length;
      tracker.respondWith({ status: 302, headers: { location: "/elsewhere" } });
      const outcome = await send(tracker.url);
      expect(outcome).toMatchObject({ result: "failed", status: 302 });
      expect(outcome.error).toMatch(/redirect/);
      expect(tracker.received.length - before).toBe(1);
    });

    it("bounds the response excerpt and strips control characters", async () => {
      tracker.respondWith({ status: 500, body: "lỗi\u0000\u001b[31m máy chủ\r\n\u202e".repeat(20_000) });
      const outcome = await send(tracker.url);
      expect(Array.from(outcome.responseExcerpt).length).toBe(500);
      expect(outcome.responseExcerpt).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
      expect(outcome.responseExcerpt.startsWith("lỗi[31m máy chủ lỗi")).toBe(true);
    });
  });

  it("reads at most 64 KiB of a huge response", async () => {
    // 16 MiB on offer (finite, so a sender that reads it all fails here instead of hanging).
    let pulled = 0;
    const huge: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled >= 16 * 1024 * 1024) return controller.close();
            pulled += 4096;
            controller.enqueue(new Uint8Array(4096).fill(0x61));
          },
        }),
        { status: 200 },
      );
    const outcome = await send("http://127.0.0.1:9/unused", { fetch: huge });
    expect(outcome).toMatchObject({ result: "delivered", status: 200 });
    expect(outcome.responseExcerpt).toBe("a".repeat(500));
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + 2 * 4096);
  });

  it("times out a tracker that answers too late, as a retry", async () => {
    const tracker = (await receiver([NEW])).respondWith({ status: 200, delayMs: 5_000 });
    const outcome = await send(tracker.url, { timeoutMs: 150 });
    expect(outcome).toMatchObject({ result: "retry", status: null, error: "timed out after 150 ms" });
    expect(outcome.latencyMs).toBeLessThan(2_000);
    expect(tracker.received).toHaveLength(1);
  });

  it("retries when the tracker is down, and delivers once it is back on the same port", async () => {
    const tracker = await receiver([NEW]);
    const url = tracker.url;
    await tracker.stop();
    const down = await send(url, { webhookId: "msg_outage" });
    expect(down).toMatchObject({ result: "retry", status: null });
    expect(down.error).toMatch(/ECONNREFUSED/);
    await tracker.start();
    expect(tracker.url).toBe(url);
    expect(await send(url, { webhookId: "msg_outage" })).toMatchObject({ result: "delivered", status: 200 });
    expect(tracker.uniqueById().map((d) => d.webhookId)).toEqual(["msg_outage"]);
  });

  it("fails without sending when the endpoint URL is unusable", async () => {
    expect(await send("not a url")).toMatchObject({ result: "failed", status: null });
    expect(await send("ftp://127.0.0.1/x")).toMatchObject({ result: "failed", status: null });
    expect(await send("http://127.0.0.1:9/x", { secrets: [] })).toMatchObject({ result: "failed", error: expect.stringMatching(/unsigned/) });
  });
});

describe("nextAttemptDelayMs", () => {
  it("waits schedule[N] seconds ±10% after attempt N", () => {
    for (let attempt = 1; attempt < STANDARD_RETRY_SCHEDULE.length; attempt++) {
      const base = STANDARD_RETRY_SCHEDULE[attempt]! * 1000;
      expect(nextAttemptDelayMs(attempt, STANDARD_RETRY_SCHEDULE, undefined, () => 0.5)).toBe(base);
      expect(nextAttemptDelayMs(attempt, STANDARD_RETRY_SCHEDULE, undefined, () => 0)).toBe(Math.round(base * 0.9));
      expect(nextAttemptDelayMs(attempt, STANDARD_RETRY_SCHEDULE, undefined, () => 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.1));
      for (let i = 0; i < 50; i++) {
        const delay = nextAttemptDelayMs(attempt)!;
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      }
    }
    expect(nextAttemptDelayMs(1, undefined, undefined, () => 0.5)).toBe(5_000);
    expect(nextAttemptDelayMs(2, undefined, undefined, () => 0.5)).toBe(300_000);
  });

  it("returns null once the schedule is exhausted", () => {
    expect(nextAttemptDelayMs(STANDARD_RETRY_SCHEDULE.length - 1)).not.toBeNull();
    expect(nextAttemptDelayMs(STANDARD_RETRY_SCHEDULE.length)).toBeNull();
    expect(nextAttemptDelayMs(STANDARD_RETRY_SCHEDULE.length + 5, undefined, 1_000)).toBeNull();
    expect(nextAttemptDelayMs(2, [0, 1, 2], undefined, () => 0.5)).toBe(2_000);
    expect(nextAttemptDelayMs(3, [0, 1, 2])).toBeNull();
  });

  it("waits at least Retry-After", () => {
    expect(nextAttemptDelayMs(1, undefined, 60_000, () => 0.5)).toBe(60_000);
    expect(nextAttemptDelayMs(2, undefined, 60_000, () => 0.5)).toBe(300_000);
  });

  it("rejects attempt numbers that are not 1, 2, 3…", () => {
    expect(() => nextAttemptDelayMs(0)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(1.5)).toThrow(RangeError);
  });
});
