/**
 * Which engine reads a text PDF. Debian's poppler (`pdftotext`, package
 * poppler-utils) when it is installed: it parses fonts in C++ and gives every
 * word with its box in ~10 ms a page, where pdf.js's getTextContent spends
 * 40–75 ms a page parsing font programs in JavaScript. Otherwise pdf.js (npm),
 * so `npm ci` alone reads PDFs. pdf.js also stays the fallback for a file
 * poppler refuses (see poppler.ts). VANTHU_PDF_ENGINE=poppler|pdfjs forces one
 * (tests, comparisons), as VANTHU_OCR_ENGINE does for OCR.
 */
import { execFile } from "node:child_process";

export type PdfEngineName = "poppler" | "pdfjs";

/** A forced engine that is not installed: a set-up fault, not a fault of the file. */
export class PdfEngineUnavailableError extends Error {
  constructor(engine: PdfEngineName, reason: string) {
    super(`the PDF engine "${engine}" was asked for (VANTHU_PDF_ENGINE) but ${reason}`);
    this.name = "PdfEngineUnavailableError";
  }
}

let popplerCheck: Promise<boolean> | null = null;

/** Whether `pdftotext` runs; asked once per process. */
export function popplerAvailable(): Promise<boolean> {
  return (popplerCheck ??= new Promise((resolve) => {
    execFile("pdftotext", ["-v"], { timeout: 10_000 }, (error) => resolve(!error));
  }));
}

/** The engine to use: forced by argument or VANTHU_PDF_ENGINE, else poppler when `hasPoppler` says it is there. */
export async function selectPdfEngine(preferred?: PdfEngineName, hasPoppler: () => Promise<boolean> = popplerAvailable): Promise<PdfEngineName> {
  const forced = preferred ?? parsePdfEngine(process.env.VANTHU_PDF_ENGINE);
  if (forced === "pdfjs") return forced;
  if (await hasPoppler()) return "poppler";
  if (forced === "poppler") throw new PdfEngineUnavailableError("poppler", "pdftotext (Debian poppler-utils) is not installed");
  return "pdfjs";
}

export function parsePdfEngine(value: string | undefined): PdfEngineName | undefined {
  return value === "poppler" || value === "pdfjs" ? value : undefined;
}
