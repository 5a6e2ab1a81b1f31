/** Entry of an extraction worker thread (started by bootstrap.mjs, which registers tsx first). */
import { extractionJob, serveJobs } from "./worker-core.ts";

serveJobs(extractionJob);
