/**
 * The extraction pool's pre-checks, piece by piece: the PDF filters the bomb
 * check decodes (against the examples of ISO 32000-1 and round trips), the
 * lexical stream scan where it must read like pdf.js, and the image header
 * sizes. The corpus test (bad-inputs.test.ts) runs the same checks end to end.
 */
import { Readable, Writable, pipeline } from "node:stream";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { checkImageSize, declaredImageSizes } from "../extractors/readers/ocr/image-size.ts";
import { createDecoder, filterName, type FilterName } from "../pipeline/isolation/pdf-filters.ts";
import { checkPdfInflation, decodedSize, findPdfStreams, sniffFlateLayers, worstDecodedSize } from "../pipeline/isolation/pdf-inflate-check.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { extract, isReadError } from "../extractors/index.ts";

function decode(name: FilterName, data: Uint8Array, earlyChange?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) });
    pipeline(Readable.from([Buffer.from(data)]), createDecoder(name, earlyChange === undefined ? {} : { earlyChange }), sink, (error) =>
      error ? reject(error) : resolve(Buffer.concat(chunks)),
    );
  });
}

/** ASCII85 as the spec defines it, to check the decoder against. */
function ascii85(data: Buffer): string {
  let out = "";
  for (let i = 0; i < data.length; i += 4) {
    const group = Buffer.alloc(4);
    data.copy(group, 0, i, i + 4);
    const n = Math.min(4, data.length - i);
    let value = group.readUInt32BE(0);
    if (value === 0 && n === 4) {
      out += "z";
      continue;
    }
    const digits: string[] = [];
    for (let k = 0; k < 5; k++, value = Math.floor(value / 85)) digits.unshift(String.fromCharCode((value % 85) + 33));
    out += digits.slice(0, n + 1).join("");
  }
  return `${out}~>`;
}

describe("PDF filters", () => {
  it("decodes LZW: the example of ISO 32000-1 §7.4.4.2", async () => {
    const codes = Buffer.from("800b6050220c0c8501", "hex");
    expect((await decode("LZWDecode", codes)).toString("latin1")).toBe("-----A---B");
  });

  it("decodes ASCIIHex, with white space and an odd final digit", async () => {
    expect([...(await decode("ASCIIHexDecode", Buffer.from("48 65\n6c6C6f 7>ignored")))]).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x70]);
  });

  it("decodes ASCII85, 'z' groups and a short final group", async () => {
    const data = Buffer.concat([Buffer.from("Số: 454/UBND-NCTH"), Buffer.alloc(8), Buffer.from("xyz")]);
    expect(await decode("ASCII85Decode", Buffer.from(ascii85(data)))).toEqual(data);
  });

  it("decodes RunLength literal and repeated runs up to EOD", async () => {
    const encoded = Buffer.from([2, 0x61, 0x62, 0x63, 254, 0x78, 128, 0x7a]);
    expect((await decode("RunLengthDecode", encoded)).toString("latin1")).toBe("abcxxx");
  });

  it("reads names as pdf.js does: #xx escapes and abbreviations", () => {
    expect(filterName("/Fl#61teDecode")).toBe("FlateDecode");
    expect(filterName("/AHx")).toBe("ASCIIHexDecode");
    expect(filterName("/LZW")).toBe("LZWDecode");
  });

  it("counts a chain of filters without holding the output, and stops past the cap", async () => {
    const data = Buffer.from(deflateSync(deflateSync(Buffer.alloc(50 * 1024 * 1024))).toString("hex"));
    expect(await decodedSize(data, ["ASCIIHexDecode", "FlateDecode", "FlateDecode"], 100 * 1024 * 1024)).toBe(50 * 1024 * 1024);
    expect(await decodedSize(data, ["ASCIIHexDecode", "FlateDecode", "FlateDecode"], 1024 * 1024)).toBeGreaterThan(1024 * 1024);
  });

  it("sniffs the zlib layers of data whose filter is unknown", async () => {
    const twice = deflateSync(deflateSync(Buffer.alloc(1024 * 1024)));
    expect(await sniffFlateLayers(twice)).toEqual(["FlateDecode", "FlateDecode"]);
    expect(await sniffFlateLayers(Buffer.from("BT /F1 12 Tf (plain) Tj ET"))).toEqual([]);
  });
});

/** A minimal PDF of these objects (numbered from 1), and a stream object with its dictionary and data. */
const pdf = (...objects: string[]) => Buffer.from(`%PDF-1.7\n${objects.map((o, i) => `${i + 1} 0 obj\n${o}\nendobj\n`).join("")}%%EOF\n`, "latin1");
const stream = (dict: string, data = "x") => `<< ${dict} /Length ${data.length} >>\nstream\n${data}\nendstream`;

describe("the PDF stream scan", () => {

  it("resolves an indirect /Filter, and references inside a /Filter array", () => {
    const [s] = findPdfStreams(pdf(stream("/Filter 2 0 R"), "[/AHx 3 0 R]", "/FlateDecode"));
    expect(s?.chains).toEqual([["ASCIIHexDecode", "FlateDecode"]]);
  });

  it("takes every /Filter of the dictionary, so a decoy cannot hide the real one", () => {
    const [s] = findPdfStreams(pdf(stream("/Decoy << /Filter /DCTDecode >> /Filter [/Fl /Fl]")));
    expect(s?.chains).toEqual([["FlateDecode", "FlateDecode"]]);
  });

  it("sees past comments and junk after the stream keyword", () => {
    const file = Buffer.from("%PDF-1.7\n1 0 obj\n<< /Filter % a comment\n/FlateDecode >>\nstream junk\r\nDATA\nendstream\nendobj\n", "latin1");
    const [s] = findPdfStreams(file);
    expect(s?.chains).toEqual([["FlateDecode"]]);
    expect(file.toString("latin1", s!.start, s!.end).trim()).toBe("DATA");
  });

  it("marks a stream for sniffing when its filter object is nowhere in the text (inside an object stream)", () => {
    const [s] = findPdfStreams(pdf(stream("/Filter 9 0 R")));
    expect(s?.sniff).toBe(true);
  });

  it("refuses a bomb with a message naming the file; passes an ordinary stream", async () => {
    const bomb = deflateSync(deflateSync(Buffer.alloc(200 * 1024 * 1024))).toString("latin1");
    const limits = { streamBytes: 128 * 1024 * 1024, totalBytes: 1024 * 1024 * 1024 };
    const error = await checkPdfInflation(pdf(stream("/Filter [/FlateDecode /FlateDecode]", bomb)), limits, "bomb.pdf").catch((e: unknown) => e);
    expect(isReadError(error) && error.code).toBe("too_large");
    expect((error as Error).message).toMatch(/^bomb\.pdf: .*decompression bomb/);
    await expect(checkPdfInflation(pdf(stream("/Filter /FlateDecode", deflateSync("BT ET").toString("latin1"))), limits)).resolves.toBeUndefined();
  });
});

describe("the worst case that spares decoding", () => {
  it("bounds what zlib makes of its most compressible input, one and two layers deep", () => {
    for (const mb of [0.001, 1, 16, 64]) {
      const plain = Buffer.alloc(Math.round(mb * 1024 * 1024));
      for (const layers of [1, 2]) {
        let data: Buffer = plain;
        for (let i = 0; i < layers; i++) data = deflateSync(data, { level: 9 });
        const [s] = findPdfStreams(pdf(stream(`/Filter [${"/FlateDecode ".repeat(layers).trim()}]`, data.toString("latin1"))));
        expect(worstDecodedSize(s!)).toBeGreaterThanOrEqual(plain.length);
      }
    }
  });

  it("still decodes every stream when their worst cases together pass the total: many small streams over the total are refused", async () => {
    const part = deflateSync(Buffer.alloc(900 * 1024)).toString("latin1");
    const file = pdf(...[1, 2, 3].map(() => stream("/Filter /FlateDecode", part)));
    const limits = { streamBytes: 1024 * 1024, totalBytes: 2 * 1024 * 1024 };
    const error = await checkPdfInflation(file, limits, "parts.pdf").catch((e: unknown) => e);
    expect(isReadError(error) && error.code).toBe("too_large");
    expect((error as Error).message).toMatch(/inflate to more than 2 MB together/);
  });

  it("leaves other filters and sniffed streams unbounded", () => {
    const [lzw] = findPdfStreams(pdf(stream("/Filter /LZWDecode")));
    const [unknown] = findPdfStreams(pdf(stream("/Filter 9 0 R")));
    expect([worstDecodedSize(lzw!), worstDecodedSize(unknown!)]).toEqual([Infinity, Infinity]);
  });
});

describe("image header sizes", () => {
  it("reads a PNG's IHDR, a JPEG's frame header and every TIFF page", () => {
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.from([0, 0, 0x27, 0x10, 0, 0, 0x13, 0x88])]);
    expect(declaredImageSizes(png, "png")).toEqual([{ width: 10000, height: 5000 }]);
    const jpeg = Buffer.from("ffd8ffe000104a46494600010100000100010000ffc0000b080300040001011100ffda", "hex");
    expect(declaredImageSizes(jpeg, "jpeg")).toEqual([{ width: 1024, height: 768 }]);
    const tiff = Buffer.alloc(8 + 2 * 30);
    tiff.write("II*\0", 0, "latin1");
    tiff.writeUInt32LE(8, 4);
    for (const [at, next, width] of [[8, 38, 100], [38, 0, 70000]] as const) {
      tiff.writeUInt16LE(2, at);
      tiff.writeUInt16LE(256, at + 2), tiff.writeUInt16LE(4, at + 4), tiff.writeUInt32LE(1, at + 6), tiff.writeUInt32LE(width, at + 10);
      tiff.writeUInt16LE(257, at + 14), tiff.writeUInt16LE(3, at + 16), tiff.writeUInt32LE(1, at + 18), tiff.writeUInt16LE(5000, at + 22);
      tiff.writeUInt32LE(next, at + 26);
    }
    expect(declaredImageSizes(tiff, "tiff")).toEqual([{ width: 100, height: 5000 }, { width: 70000, height: 5000 }]);
    expect(() => checkImageSize(tiff, "tiff", 100_000_000, "fax.tiff")).toThrow(/^fax\.tiff: the TIFF image \(page 2\) declares 70000 × 5000 pixels/);
    expect(() => checkImageSize(png, "png", 100_000_000)).not.toThrow();
  });

  it("is applied by the image reader itself, outside the pool, before a pixel is decoded", async () => {
    const bomb = new Uint8Array(readFileSync(join(import.meta.dirname, "../fixtures/bad/png-bomb.png")));
    const started = performance.now();
    const error = await extract(bomb, { fileName: "bomb.png" }).catch((e: unknown) => e);
    expect(isReadError(error) && error.code).toBe("too_large");
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
