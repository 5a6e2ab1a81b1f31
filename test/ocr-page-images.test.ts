import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { deflateSync, gunzipSync } from "node:zlib";
import { buildPdf, streamObject } from "../fixtures/bad-inputs/pdf-build.ts";
import { openPdfImages } from "../extractors/readers/ocr/pdf-images.ts";
import { openPdfJsImages } from "../extractors/readers/ocr/pdfjs-images.ts";
import { openPdfFile } from "../extractors/readers/pdf/pdf-file.ts";
import type { Ref } from "../extractors/readers/pdf/pdf-objects.ts";
import { jpegPageImage } from "../extractors/readers/ocr/pdf-jpeg.ts";
import { jpegGray, type JpegDecoder } from "../extractors/readers/ocr/jpeg-gray.ts";
import { decodePnm } from "../extractors/readers/ocr/poppler-images.ts";
import { grayFromPixels, IMAGE_KIND, scaleImage, type GrayImage } from "../extractors/readers/ocr/image.ts";
import { rotate } from "../extractors/readers/ocr/deskew.ts";
import { removeRules } from "../extractors/readers/ocr/rules.ts";
import { cliRowReader } from "../extractors/readers/ocr/tesseract-cli.ts";
import { bestModelDir } from "../extractors/readers/ocr/best-model.ts";
import { vieLangPath } from "../extractors/readers/ocr/tesseract-js.ts";
import { cliAvailable } from "../extractors/readers/ocr/engine.ts";
import { loadImageDecoders } from "../extractors/readers/pdf/pdfjs.ts";
import { PNG } from "pngjs";

const ROOT = join(import.meta.dirname, "..");
const SHARED_SCANS = join(ROOT, "../shared/fixtures/scans");
const fixture = (name: string) => new Uint8Array(readFileSync(join(ROOT, "fixtures/scans", name)));
/** A grey JPEG (1125 × 316, 200 dpi) of five letter lines. */
const JPEG = fixture("ocr-sample-200dpi.jpg");
const hasPdfimages = (() => {
  try {
    execFileSync("pdfimages", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** A one-page PDF drawing the sample JPEG (object 4) with `draw`; `more` objects from number 6 on. */
function jpegPdf(draw: string, options: { page?: string; resources?: string; more?: (string | Uint8Array[])[] } = {}): Uint8Array {
  const image = streamObject("/Type /XObject /Subtype /Image /Width 1125 /Height 316 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", JPEG);
  return new Uint8Array(
    buildPdf([
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R ${options.resources ?? ""} >> >> /Contents 5 0 R ${options.page ?? ""} >>`,
      image,
      streamObject("", Buffer.from(draw, "latin1")),
      ...(options.more ?? []),
    ]),
  );
}

async function allPages(bytes: Uint8Array, open: (b: Uint8Array) => ReturnType<typeof openPdfImages>): Promise<(GrayImage | null)[]> {
  const source = await open(bytes);
  try {
    const out: (GrayImage | null)[] = [];
    for (let n = 1; n <= source.pageCount; n++) out.push((await source.pageImage(n))?.image ?? null);
    return out;
  } finally {
    await source.close();
  }
}

function expectSamePixels(got: (GrayImage | null)[], want: (GrayImage | null)[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((image, i) => {
    const reference = want[i]!;
    expect(image).not.toBeNull();
    expect({ width: image!.width, height: image!.height, dpi: image!.dpi }).toEqual({ width: reference.width, height: reference.height, dpi: reference.dpi });
    expect(Buffer.compare(Buffer.from(image!.data), Buffer.from(reference.data))).toBe(0);
  });
}

describe("a scanned page's image, read from the file itself", () => {
  const placements: [string, string, { page?: string; resources?: string; more?: (string | Uint8Array[])[] }?][] = [
    ["upright", "q 540 0 0 151.68 27.5 600 cm /Im0 Do Q"],
    ["turned a quarter in the content", "q 0 540 -151.68 0 300 100 cm /Im0 Do Q"],
    ["mirrored top to bottom", "q 540 0 0 -151.68 27.5 751.68 cm /Im0 Do Q"],
    ["on a page turned by /Rotate", "q 540 0 0 151.68 27.5 600 cm /Im0 Do Q", { page: "/Rotate 270" }],
    ["inside a form XObject with its own matrix", "q 2 0 0 2 100 100 cm /Fm0 Do Q", {
      resources: "/Fm0 6 0 R",
      more: [streamObject("/Type /XObject /Subtype /Form /BBox [0 0 400 400] /Matrix [0 1 -1 0 200 0] /Resources << /XObject << /Im0 4 0 R >> >>", Buffer.from("q 270 0 0 75.84 0 0 cm /Im0 Do Q", "latin1"))],
    }],
    ["beside a smaller image (the largest is the scan)", "q 54 0 0 15 10 10 cm /Im0 Do Q q 540 0 0 151.68 27.5 600 cm /Im0 Do Q"],
    // Strings with escaped brackets, a hex string, a comment and a #-escaped name around it.
    ["among marked content, strings and comments", "/Span << /ActualText (a \\) Do b \\( c) /Alt <4142> >> BDC % not Do\nq 540 0 0 151.68 27.5 600 cm /Im#30 Do Q EMC"],
  ];

  it.each(placements)("a JPEG drawn %s: pdf.js's own decoder, its pixels to the bit, its turn and resolution", async (_name, draw, options) => {
    const bytes = jpegPdf(draw, options);
    const file = openPdfFile(bytes)!;
    // The direct path is the one taken (not pdf.js's operator list behind it).
    expect(await jpegPageImage(file, 1)).toBeTruthy();
    expectSamePixels(await allPages(bytes, (b) => openPdfImages(b)), await allPages(bytes, openPdfJsImages));
  });

  it("what the direct path does not read goes to pdf.js: an inline image, a CCITT page", async () => {
    const inline = jpegPdf("q 540 0 0 151.68 27.5 600 cm /Im0 Do Q q 10 0 0 10 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xff EI Q");
    expect(await jpegPageImage(openPdfFile(inline)!, 1).catch(() => "thrown")).toBe("thrown");
    expectSamePixels(await allPages(inline, (b) => openPdfImages(b)), await allPages(inline, openPdfJsImages));
    const ccitt = fixture("000_49ac93810ff5857c.pdf");
    expect(await jpegPageImage(openPdfFile(ccitt)!, 1)).toBeUndefined();
    expectSamePixels(await allPages(ccitt, (b) => openPdfImages(b)), await allPages(ccitt, openPdfJsImages));
  });

  it.skipIf(!existsSync(SHARED_SCANS))("the shared scans' colour JPEG pages come out as pdf.js's operator list gives them", async () => {
    for (const name of readdirSync(SHARED_SCANS).filter((f) => f.endsWith(".pdf")).slice(0, 2)) {
      const bytes = new Uint8Array(readFileSync(join(SHARED_SCANS, name)));
      expectSamePixels(await allPages(bytes, (b) => openPdfImages(b)), await allPages(bytes, openPdfJsImages));
    }
  }, 60_000);

  it("finds pages and objects kept in a compressed object stream", () => {
    const pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n";
    const header = `2 0 3 ${pages.length} `;
    const body = `${header}${pages}<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Rotate 90 >>`;
    const objstm = streamObject(`/Type /ObjStm /N 2 /First ${header.length} /Filter /FlateDecode`, deflateSync(Buffer.from(body, "latin1")));
    const bytes = buildPdf(["<< /Type /Catalog /Pages 2 0 R >>", "null", "null", objstm, streamObject("", Buffer.from("q Q", "latin1"))]);
    const file = openPdfFile(new Uint8Array(bytes))!;
    expect(file.pages.map((p) => [p.ref.num, p.rotate])).toEqual([[3, 90]]);
  });
});

/** A colour page (YCbCr, chroma halved both ways): the JPEG stream of a shared scan's first image. */
function sharedScanJpeg(): Uint8Array {
  const bytes = new Uint8Array(readFileSync(join(SHARED_SCANS, readdirSync(SHARED_SCANS).find((f) => f.endsWith(".pdf"))!)));
  const file = openPdfFile(bytes)!;
  const xobjects = file.resolve(file.pages[0]!.resources.get("XObject")) as Map<string, Ref>;
  const jpeg = [...xobjects.values()].map((ref) => file.stream(ref)!).find((s) => /JFIF|Exif/.test(s.raw.subarray(0, 32).toString("latin1")) || s.raw[0] === 0xff)!;
  return new Uint8Array(jpeg.raw);
}

describe("jpegGray: pdf.js's JPEG decoder straight to gray", () => {
  it("gives what getData and grayFromPixels give", async () => {
    const { JpegImage } = await loadImageDecoders<{ JpegImage: new () => JpegDecoder }>();
    const sources: Uint8Array[] = [JPEG];
    if (existsSync(SHARED_SCANS)) sources.push(sharedScanJpeg());
    for (const bytes of sources) {
      const reference = new JpegImage();
      reference.parse(bytes);
      const rgb = reference.getData({ width: reference.width, height: reference.height, forceRGB: reference.numComponents !== 1, isSourcePDF: true });
      const want = grayFromPixels(reference.width, reference.height, rgb, reference.numComponents === 1 ? 0 : IMAGE_KIND.RGB_24BPP);
      const fused = new JpegImage();
      fused.parse(bytes);
      const got = jpegGray(fused, fused.width, fused.height, true);
      expect(Buffer.compare(Buffer.from(got.data), Buffer.from(want.data))).toBe(0);
    }
  });

  it.skipIf(!existsSync(SHARED_SCANS))("gives it for a scan drawn at another size than its own (the general pass, not the halved-chroma one)", async () => {
    const { JpegImage } = await loadImageDecoders<{ JpegImage: new () => JpegDecoder }>();
    const jpeg = new JpegImage();
    jpeg.parse(sharedScanJpeg());
    for (const [width, height] of [
      [jpeg.width - 3, jpeg.height + 5],
      [Math.round(jpeg.width / 3), Math.round(jpeg.height / 2)],
    ] as const) {
      const rgb = jpeg.getData({ width, height, forceRGB: true, isSourcePDF: true });
      const want = grayFromPixels(width, height, rgb, IMAGE_KIND.RGB_24BPP);
      const got = jpegGray(jpeg, width, height, true);
      expect(Buffer.compare(Buffer.from(got.data), Buffer.from(want.data))).toBe(0);
    }
  });

  it.skipIf(!existsSync(SHARED_SCANS))("gives it for any luma and chroma, clamped channels and terms on a half included", async () => {
    // A scan's YCbCr components overwritten with pseudo-random samples (every chroma pair many
    // times over), and the chroma values whose blue term lies on a half (3, 253) planted often.
    const { JpegImage } = await loadImageDecoders<{ JpegImage: new () => JpegDecoder }>();
    const jpeg = new JpegImage();
    jpeg.parse(sharedScanJpeg());
    expect(jpeg.numComponents).toBe(3);
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    jpeg.components!.forEach((component, c) => {
      const samples = component.output as Int16Array;
      for (let i = 0; i < samples.length; i++) samples[i] = c === 1 && i % 7 === 0 ? (i % 2 ? 3 : 253) : next() & 255;
    });
    const rgb = jpeg.getData({ width: jpeg.width, height: jpeg.height, forceRGB: true, isSourcePDF: true });
    const want = grayFromPixels(jpeg.width, jpeg.height, rgb, IMAGE_KIND.RGB_24BPP);
    const got = jpegGray(jpeg, jpeg.width, jpeg.height, true);
    expect(Buffer.compare(Buffer.from(got.data), Buffer.from(want.data))).toBe(0);
  });
});

describe.skipIf(!hasPdfimages)("VANTHU_OCR_DECODER=poppler: pdfimages takes the page image out", () => {
  it.each(placements())("a JPEG drawn %s: the same image, turn and resolution as pdf.js, pixels within a grey level", async (_name, draw, options) => {
    const bytes = jpegPdf(draw, options);
    const [got] = await allPages(bytes, (b) => openPdfImages(b, "poppler"));
    const [want] = await allPages(bytes, openPdfJsImages);
    expect({ width: got!.width, height: got!.height, dpi: got!.dpi }).toEqual({ width: want!.width, height: want!.height, dpi: want!.dpi });
    let off = 0;
    for (let i = 0; i < got!.data.length; i++) off += Math.abs(got!.data[i]! - want!.data[i]!);
    expect(off / got!.data.length).toBeLessThan(1);
  });

  it("a bilevel (CCITT) page comes out exactly as pdf.js decodes it", async () => {
    const bytes = fixture("000_49ac93810ff5857c.pdf");
    expectSamePixels(await allPages(bytes, (b) => openPdfImages(b, "poppler")), await allPages(bytes, openPdfJsImages));
  });

  function placements() {
    return [
      ["upright", "q 540 0 0 151.68 27.5 600 cm /Im0 Do Q"],
      ["turned a quarter", "q 0 540 -151.68 0 300 100 cm /Im0 Do Q"],
      ["on a page turned by /Rotate", "q 540 0 0 151.68 27.5 600 cm /Im0 Do Q", { page: "/Rotate 90" }],
    ] as [string, string, { page?: string }?][];
  }
});

describe("PNM from pdfimages", () => {
  const pnm = (header: string, pixels: number[]) => Buffer.concat([Buffer.from(header, "latin1"), Buffer.from(pixels)]);

  it("reads bitmaps (1 is black), grey and colour (red seal ink dropped), past header comments", () => {
    expect([...decodePnm(pnm("P4\n# pdfimages\n10 1\n", [0b10000000, 0b01000000]))!.data]).toEqual([0, 255, 255, 255, 255, 255, 255, 255, 255, 0]);
    expect(decodePnm(pnm("P5 2 1 255\n", [7, 200]))).toMatchObject({ width: 2, height: 1, data: new Uint8Array([7, 200]) });
    // Black text stays black; seal red (230, 70, 104) comes out as its light red channel.
    expect([...decodePnm(pnm("P6\n2 1\n255\n", [0, 0, 0, 230, 70, 104]))!.data]).toEqual([0, 230]);
  });

  it("refuses what it does not read: 16-bit samples, short data, another format", () => {
    expect(decodePnm(pnm("P5 1 1 65535\n", [0, 0]))).toBeNull();
    expect(decodePnm(pnm("P6 2 2 255\n", [1, 2, 3]))).toBeNull();
    expect(decodePnm(pnm("P3 1 1 255\n", [0]))).toBeNull();
  });
});

describe("page clean-up, made fast, computes what the plain formulas compute", () => {
  const random = (width: number, height: number, seed: number): GrayImage => {
    const data = new Uint8Array(width * height);
    for (let i = 0; i < data.length; i++) data[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
    return { width, height, data, dpi: 150 };
  };

  it("scaleImage: box means when reducing, bilinear when enlarging", () => {
    const img = random(53, 41, 7);
    const at = (x: number, y: number) => img.data[Math.min(img.height - 1, y) * img.width + Math.min(img.width - 1, x)]!;
    const small = scaleImage(img, 0.3);
    const step = 1 / 0.3;
    for (const [x, y] of [[0, 0], [7, 5], [15, 11]] as const) {
      const [x0, x1, y0, y1] = [Math.floor(x * step), Math.floor((x + 1) * step), Math.floor(y * step), Math.floor((y + 1) * step)];
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += at(xx, yy);
      expect(small.data[y * small.width + x]).toBe(Math.trunc(sum / ((x1 - x0) * (y1 - y0))));
    }
    const big = scaleImage(img, 2);
    expect(big).toMatchObject({ width: 106, height: 82, dpi: 300 });
    // Output (2x + 1, 2y + 1) lies a quarter of the way from source (x, y) to (x + 1, y + 1).
    const [x, y] = [10, 20];
    const top = at(x, y) * 0.75 + at(x + 1, y) * 0.25;
    const bottom = at(x, y + 1) * 0.75 + at(x + 1, y + 1) * 0.25;
    expect(big.data[(2 * y + 1) * big.width + 2 * x + 1]).toBe(Math.trunc(top * 0.75 + bottom * 0.25));
  });

  it("rotate: each pixel bilinear from its source, paper where the source is off the image", () => {
    const img = random(300, 200, 3);
    const out = rotate(img, 2);
    const theta = (2 * Math.PI) / 180;
    const [cx, cy] = [149.5, 99.5];
    for (const [X, Y] of [[150, 100], [20, 30], [280, 180]] as const) {
      const sx = Math.cos(theta) * (X - cx) - Math.sin(theta) * (Y - cy) + cx;
      const sy = Math.sin(theta) * (X - cx) + Math.cos(theta) * (Y - cy) + cy;
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const v = (x: number, y: number) => img.data[y * 300 + x]!;
      const [fx, fy] = [sx - x0, sy - y0];
      const expected = (v(x0, y0) * (1 - fx) + v(x0 + 1, y0) * fx) * (1 - fy) + (v(x0, y0 + 1) * (1 - fx) + v(x0 + 1, y0 + 1) * fx) * fy;
      expect(Math.abs(out.data[Y * 300 + X]! - expected)).toBeLessThanOrEqual(1);
    }
    // The top-left corner's source lies above the image: paper.
    expect(out.data[0]).toBe(255);
  });

  it("removeRules: long thin lines go, across and down; letters and thick bars stay", () => {
    const [width, height] = [400, 300];
    const data = new Uint8Array(width * height).fill(255);
    const fill = (x0: number, y0: number, x1: number, y1: number) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 0;
    };
    fill(20, 50, 380, 52); // an underline, 2 px
    fill(300, 80, 302, 280); // a table border, 2 px
    fill(40, 100, 60, 130); // a glyph
    fill(40, 200, 280, 240); // a bar far thicker than a rule
    const out = removeRules({ width, height, data, dpi: 300 }).data;
    expect(out[51 * width + 200]).toBe(255);
    expect(out[200 * width + 301]).toBe(255);
    expect(out[110 * width + 50]).toBe(0);
    expect(out[220 * width + 100]).toBe(0);
  });
});

describe.skipIf(!(await cliAvailable()))("second readings of a row in the tesseract CLI", () => {
  it("reads a cropped row with the npm package's best model", async () => {
    const png = PNG.sync.read(Buffer.from(fixture("ocr-sample.png")));
    const page = grayFromPixels(png.width, png.height, png.data, IMAGE_KIND.RGBA_32BPP);
    page.dpi = 300;
    // The second of the sample's five lines ("Số: 125/UBND-KT"): the second band of inked rows
    // (a gap of a few rows between a letter and its diacritic does not end a band).
    const inked: number[] = [];
    for (let y = 0; y < page.height; y++) if (page.data.subarray(y * page.width, (y + 1) * page.width).some((v) => v < 128)) inked.push(y);
    const starts = inked.filter((y, i) => i === 0 || y > inked[i - 1]! + 15);
    const [top, bottom] = [starts[1]! - 10, starts[2]! - 10];
    const row: GrayImage = { width: page.width, height: bottom - top, data: page.data.slice(top * page.width, bottom * page.width), dpi: 300 };
    const read = await cliRowReader({ timeoutMs: 30_000 });
    expect(read).not.toBeNull();
    expect((await read!(row)).map((w) => w.text).join(" ")).toContain("125/UBND-KT");
  });

  it("unpacks that model once where the CLI can read it", async () => {
    const dir = await bestModelDir();
    expect(dir).not.toBeNull();
    expect(readFileSync(join(dir!, "vie.traineddata")).equals(gunzipSync(readFileSync(join(vieLangPath(), "vie.traineddata.gz"))))).toBe(true);
    expect(await bestModelDir()).toBe(dir);
  });
});
