import { pino, type Logger } from "pino";

/** Structured JSON logs on stderr (stdout stays for command output). */
export function createLogger(level: string, name = "vanthu"): Logger {
  return pino({ name, level, redact: ["apiKey", "*.apiKey", "headers.authorization", "headers['x-api-key']"] }, pino.destination(2));
}
