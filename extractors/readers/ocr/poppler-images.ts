/**
 * The scan inside a scanned PDF page, decoded by poppler's `pdfimages`
 * (native libjpeg, CCITT, JBIG2, JPEG 2000) instead of pdf.js, which decodes
 * in JavaScript, on a core the other page's OCR is using (opt-in:
 * VANTHU_OCR_DECODER=poppler, see pdf-images.ts). Which image is the scan and how
 * it is turned comes from the file itself (pdf-placement.ts); pdfimages
 * writes every image of the page into a private temporary directory, as PPM
 * (colour, with the red seal dropped here as for pdf.js's pixels), PGM or
 * PBM, and the one wanted is read back.
 *
 * A page this cannot take (see pdf-placement.ts; a masked or 16-bit image;
 * pdfimages failing) is `undefined`, and pdf.js reads it. The two agree on
 * which image, its turn and its resolution; their JPEG pixels differ by a
 * grey level here and there (pdf-images.ts says why that matters).
 */
import { mkdtemp, readFile, readdir, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTool } from "../run-tool.ts";
import { grayFromPixels, IMAGE_KIND, placedUpright, type GrayImage } from "./image.ts";
import type { PdfFile } from "../pdf/pdf-file.ts";
import { largestPlacement } from "./pdf-placement.ts";

export interface NativePageImages {
  pageCount: number;
  /** The page's scan; null when the page draws no image; undefined when pdf.js should say. */
  pageImage(pageNumber: number): Promise<{ image: GrayImage; images: number } | null | undefined>;
  close(): Promise<void>;
}

/** Wall clock, CPU seconds and address space (KiB) of one pdfimages run: a page is ~0.1 s. */
const TIMEOUT_MS = 30_000;
const CPU_SECONDS = 30;
const ADDRESS_SPACE_KIB = 2 * 1024 * 1024;

interface Listed {
  page: number;
  /** Its place among the page's images: the number pdfimages gives its file. */
  index: number;
  type: string;
  ref: string;
}

/** The file's pages as poppler takes them out; null when poppler cannot list its images (pdf.js reads them). */
export async function openPopplerImages(bytes: Uint8Array, file: PdfFile): Promise<NativePageImages | null> {
  const dir = await mkdtemp(join(tmpdir(), "vanthu-pages-"));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    const pdf = join(dir, "in.pdf");
    await writeFile(pdf, bytes, { mode: 0o600 });
    const listed = parseList(await pdfimages(["-list", pdf]));
    if (!listed) {
      await close();
      return null;
    }
    return {
      pageCount: file.pages.length,
      async pageImage(n) {
        const page = file.pages[n - 1];
        if (!page) return undefined;
        let placement: ReturnType<typeof largestPlacement>;
        try {
          placement = largestPlacement(file, page);
        } catch {
          return undefined;
        }
        if (!placement || placement.masked) return undefined;
        const ref = `${placement.ref.num} ${placement.ref.gen}`;
        const entry = listed.find((l) => l.page === n && l.type === "image" && l.ref === ref);
        if (!entry) return undefined;
        const root = join(dir, `p${n}`);
        if ((await pdfimages(["-f", String(n), "-l", String(n), pdf, root])) === null) return undefined;
        const names = (await readdir(dir)).filter((f) => f.startsWith(`p${n}-`));
        try {
          const name = names.find((f) => Number(/^p\d+-(\d+)\./.exec(f)?.[1]) === entry.index);
          const gray = name ? decodePnm(await readFile(join(dir, name))) : null;
          if (!gray || gray.width !== placement.width || gray.height !== placement.height) return undefined;
          return { image: placedUpright(gray, placement.matrix), images: placement.images };
        } finally {
          await Promise.all(names.map((f) => unlink(join(dir, f)).catch(() => undefined)));
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** pdfimages's stdout, or null when it did not finish cleanly. */
async function pdfimages(args: string[]): Promise<string | null> {
  // A fixed script; the tool and its arguments are positional parameters, never parsed by the shell.
  const script = `ulimit -t ${CPU_SECONDS} 2>/dev/null; ulimit -v ${ADDRESS_SPACE_KIB} 2>/dev/null; exec "$@"`;
  const outcome = await runTool("/bin/sh", ["-c", script, "sh", "pdfimages", ...args], new Uint8Array(0), { timeoutMs: TIMEOUT_MS, maxOutputBytes: 16 * 1024 * 1024 });
  // Exit 0 is enough: what poppler repaired is checked against the file's own image (size, object).
  if (outcome.kind !== "exited" || outcome.code !== 0) return null;
  return outcome.stdout.toString("latin1");
}

/**
 * `pdfimages -list`: page, num, type, width, height, color, comp, bpc, enc,
 * interp, object number and generation, ... A page's images are numbered
 * from 0 when only that page is taken out.
 */
function parseList(out: string | null): Listed[] | null {
  if (out === null) return null;
  const rows: Listed[] = [];
  const first = new Map<number, number>();
  for (const line of out.split("\n").slice(2)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 12) continue;
    const page = Number(f[0]);
    const num = Number(f[1]);
    if (!Number.isInteger(page) || !Number.isInteger(num)) return null;
    if (!first.has(page)) first.set(page, num);
    rows.push({ page, index: num - first.get(page)!, type: f[2]!, ref: `${f[10]} ${f[11]}` });
  }
  return rows;
}

/**
 * A binary PNM (P4 bitmap, P5 grey, P6 colour; 8 bits) → gray. PBM's 1 is
 * black; PPM goes through the same red dropout as pdf.js's RGB pixels.
 * Null for anything else (a 16-bit image).
 */
export function decodePnm(file: Buffer): GrayImage | null {
  const magic = file.toString("latin1", 0, 2);
  const fields = magic === "P4" ? 2 : 3;
  const values: number[] = [];
  let pos = 2;
  while (values.length < fields) {
    while (pos < file.length && /\s/.test(String.fromCharCode(file[pos]!))) pos++;
    if (file[pos] === 0x23) {
      while (pos < file.length && file[pos] !== 0x0a) pos++;
      continue;
    }
    const start = pos;
    while (pos < file.length && file[pos]! >= 0x30 && file[pos]! <= 0x39) pos++;
    if (pos === start) return null;
    values.push(Number(file.toString("latin1", start, pos)));
  }
  pos++; // the single white-space character before the pixels
  const [width = 0, height = 0, maxval = 1] = values;
  const pixels = file.subarray(pos);
  if (!width || !height) return null;
  if (magic === "P4") {
    const stride = (width + 7) >> 3;
    if (pixels.length < stride * height) return null;
    const out = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) out[y * width + x] = (pixels[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 0 : 255;
    }
    return { width, height, data: out, dpi: null };
  }
  if (maxval !== 255 || (magic !== "P5" && magic !== "P6")) return null;
  const channels = magic === "P6" ? 3 : 1;
  if (pixels.length < width * height * channels) return null;
  return grayFromPixels(width, height, pixels, channels === 3 ? IMAGE_KIND.RGB_24BPP : 0);
}
