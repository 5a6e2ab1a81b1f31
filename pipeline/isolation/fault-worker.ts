/**
 * TEST ONLY: a worker entry that misbehaves on request, for test/isolation.test.ts.
 * `createExtractionPool({ workerEntry: new URL(".../fault-worker.ts") })`, then a file name
 * picks the fault; any other name is extracted as usual.
 *
 *   fault:spin      a synchronous endless loop (the deadline must terminate it)
 *   fault:hang      a promise that never settles
 *   fault:heap      grows the V8 heap until resourceLimits stop the worker
 *   fault:external  grows ArrayBuffers (outside the heap) until the memory watch stops it
 *   fault:crash     the worker thread exits in the middle of the job
 *   fault:throw     a plain Error (not a ReadError) from the job
 *   fault:ocr:N:MS  reports N OCR pages, then takes MS ms and extracts the bytes
 *   fault:slots:N:MS  holds N OCR slots at once (as N pages would), each for MS ms, then
 *                   extracts the bytes; the extraction carries `slotHolds`, each hold's
 *                   [start, end] in epoch ms
 *   fault:slot-hang takes an OCR slot and never gives it back (only the deadline ends it)
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ocrLimiter } from "../../extractors/readers/ocr/limit.ts";
import { extractionJob, serveJobs } from "./worker-core.ts";

serveJobs(async (job, context) => {
  const name = job.fileName ?? "";
  if (name === "fault:spin") for (;;);
  if (name === "fault:hang") return new Promise(() => undefined);
  if (name === "fault:heap") {
    const hog: unknown[] = [];
    for (let i = 0; ; i++) hog.push({ i, s: `${i}`.repeat(8), a: [i, i + 1, i + 2] });
  }
  if (name === "fault:external") {
    const hog: Uint8Array[] = [];
    for (;;) {
      hog.push(new Uint8Array(16 * 1024 * 1024).fill(1));
      await sleep(1);
    }
  }
  if (name === "fault:crash") process.exit(3);
  if (name === "fault:throw") throw new TypeError("a bug in a reader");
  const ocr = /^fault:ocr:(\d+):(\d+)$/.exec(name);
  if (ocr) {
    context.reportOcrPages(Number(ocr[1]));
    await sleep(Number(ocr[2]));
    return extractionJob({ ...job, fileName: "ocr.txt" }, context);
  }
  const slots = /^fault:slots:(\d+):(\d+)$/.exec(name);
  if (slots) {
    const hold = () =>
      ocrLimiter.run(async () => {
        const start = Date.now();
        await sleep(Number(slots[2]));
        return [start, Date.now()] as const;
      });
    const slotHolds = await Promise.all(Array.from({ length: Number(slots[1]) }, hold));
    return { ...(await extractionJob({ ...job, fileName: "slots.txt" }, context)), slotHolds };
  }
  if (name === "fault:slot-hang") return ocrLimiter.run(() => new Promise(() => undefined));
  return extractionJob(job, context);
});
