/**
 * The page passes before OCR compute their results in fast ways (word loads,
 * sampled run search, cached rows); these tests hold each to its plain
 * definition, pixel for pixel, on random images.
 */
import { describe, it, expect } from "vitest";
import { scaleImage, type GrayImage } from "../extractors/readers/ocr/image.ts";
import { otsu, rotate } from "../extractors/readers/ocr/deskew.ts";
import { removeRules } from "../extractors/readers/ocr/rules.ts";

function randomImage(width: number, height: number, seed: number, paper = false): GrayImage {
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  // One byte in front: the pixels start at an odd offset of their buffer.
  const data = new Uint8Array(width * height + 1).subarray(1);
  for (let i = 0; i < data.length; i++) data[i] = paper ? 200 + (next() % 56) : next() & 255;
  return { width, height, data, dpi: 300 };
}

describe("page passes match their definitions", () => {
  it("otsu counts every pixel, whatever the buffer offset", () => {
    const img = randomImage(37, 11, 5);
    const dark = { ...img, data: img.data.map((v, i) => (i % 7 ? v : 0)) };
    // Otsu's threshold from a histogram counted one pixel at a time.
    const plain = (data: Uint8Array) => {
      const hist = new Array<number>(256).fill(0);
      for (const v of data) hist[v]!++;
      let [sumAll, sumB, weightB, best, bestVar] = [0, 0, 0, 128, -1];
      for (let i = 0; i < 256; i++) sumAll += i * hist[i]!;
      for (let t = 0; t < 256; t++) {
        weightB += hist[t]!;
        if (weightB === 0) continue;
        const weightF = data.length - weightB;
        if (weightF === 0) break;
        sumB += t * hist[t]!;
        const between = weightB * weightF * (sumB / weightB - (sumAll - sumB) / weightF) ** 2;
        if (between > bestVar) [bestVar, best] = [between, t + 1];
      }
      return best;
    };
    for (const data of [img.data, dark.data]) expect(otsu(data)).toBe(plain(data));
    // Short stretches at each alignment: the pixels before the first whole word and after the last count too.
    for (let from = 0; from < 4; from++) for (let to = from + 1; to < 14; to++) expect(otsu(dark.data.subarray(from, to))).toBe(plain(dark.data.subarray(from, to)));
  });

  it("scaleImage: every reduced pixel the truncated mean of its box, also for boxes of more than 257 rows", () => {
    const img = randomImage(303, 611, 9, true);
    const at = (x: number, y: number) => img.data[y * img.width + x]!;
    for (const factor of [0.3, 1 / 3.08, 1 / 300]) {
      const small = scaleImage(img, factor);
      const step = 1 / factor;
      const span = (i: number, size: number) => [Math.floor(i * step), Math.min(size, Math.max(Math.floor(i * step) + 1, Math.floor((i + 1) * step)))] as const;
      for (let y = 0; y < small.height; y++) {
        for (let x = 0; x < small.width; x++) {
          const [x0, x1] = span(x, img.width);
          const [y0, y1] = span(y, img.height);
          let sum = 0;
          for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += at(xx, yy);
          expect(small.data[y * small.width + x]).toBe(Math.trunc(sum / ((x1 - x0) * (y1 - y0))));
        }
      }
    }
  });

  it("scaleImage: every enlarged pixel bilinear from its four sources", () => {
    const img = randomImage(23, 17, 4);
    const at = (x: number, y: number) => img.data[y * img.width + x]!;
    for (const factor of [2, 2.5, 3]) {
      const big = scaleImage(img, factor);
      const source = (i: number, size: number) => {
        const f = Math.min(size - 1, Math.max(0, (i + 0.5) / factor - 0.5));
        return [Math.floor(f), Math.min(size - 1, Math.floor(f) + 1), f - Math.floor(f)] as const;
      };
      for (let y = 0; y < big.height; y++) {
        for (let x = 0; x < big.width; x++) {
          const [x0, x1, wx] = source(x, img.width);
          const [y0, y1, wy] = source(y, img.height);
          const top = at(x0, y0) * (1 - wx) + at(x1, y0) * wx;
          const bottom = at(x0, y1) * (1 - wx) + at(x1, y1) * wx;
          expect(big.data[y * big.width + x]).toBe(Math.trunc(top * (1 - wy) + bottom * wy));
        }
      }
    }
  });

  it("rotate: every pixel the floor of its exact 16.16 fixed-point bilinear value, in noise and in flat patches", () => {
    const noise = randomImage(160, 120, 11);
    // Patches of 5 × 5 equal pixels (as paper and the inside of strokes are): most source
    // quads are then four equal pixels, which rotate takes a shortcut for.
    const patches = { ...noise, data: noise.data.map((_, i) => noise.data[Math.floor(i / 160 / 5) * 5 * 160 + Math.floor((i % 160) / 5) * 5]! & 0xf0) };
    for (const [img, degrees] of [[noise, 1.97], [noise, -0.4], [noise, 5], [patches, 1.97], [patches, -0.4]] as const) {
      const at = (x: number, y: number) => img.data[y * img.width + x]!;
      const out = rotate(img, degrees).data;
      const theta = (degrees * Math.PI) / 180;
      const [cos, sin] = [Math.round(Math.cos(theta) * 65536), Math.round(Math.sin(theta) * 65536)];
      const [cx, cy] = [(img.width - 1) / 2, (img.height - 1) / 2];
      for (let Y = 0; Y < img.height; Y++) {
        const sx0 = Math.round((-cx * Math.cos(theta) - (Y - cy) * Math.sin(theta) + cx) * 65536);
        const sy0 = Math.round((-cx * Math.sin(theta) + (Y - cy) * Math.cos(theta) + cy) * 65536);
        for (let X = 0; X < img.width; X++) {
          const [sx, sy] = [sx0 + X * cos, sy0 + X * sin];
          let want = 255;
          if (sx >= 0 && sy >= 0 && sx < (img.width - 1) * 65536 && sy < (img.height - 1) * 65536) {
            const [x0, y0, fx, fy] = [Math.floor(sx / 65536), Math.floor(sy / 65536), sx % 65536, sy % 65536];
            // Weights in 2^16ths: the exact value times 2^32, an integer well within a double.
            const top = at(x0, y0) * (65536 - fx) + at(x0 + 1, y0) * fx;
            const bottom = at(x0, y0 + 1) * (65536 - fx) + at(x0 + 1, y0 + 1) * fx;
            want = Math.floor((top * (65536 - fy) + bottom * fy) / 2 ** 32);
          }
          expect(out[Y * img.width + X]).toBe(want);
        }
      }
    }
  });

  it("removeRules: exactly the long thin runs found by scanning every row and column", () => {
    for (const [seed, dpi] of [[1, 300], [2, 100], [3, 20]] as const) {
      const img = { ...randomImage(260, 230, seed, true), dpi };
      let s: number = seed;
      const next = (n: number) => (s = (s * 1103515245 + 12345) & 0x7fffffff) % n;
      for (let k = 0; k < 40; k++) {
        const [across, x0, y0, length, thick, ink] = [next(2), next(260), next(230), 1 + next(200), 1 + next(k % 3 ? 3 : 30), next(100)];
        for (let a = 0; a < length; a++) {
          for (let t = 0; t < thick; t++) {
            const [x, y] = across ? [x0 + a, y0 + t] : [x0 + t, y0 + a];
            if (x < img.width && y < img.height) img.data[y * img.width + x] = ink;
          }
        }
      }
      // Rules just as long as the shortest one, at every offset along their line.
      const shortest = Math.round(0.4 * dpi);
      for (let offset = 0; offset < Math.min(shortest, 40); offset += 3) {
        for (let a = 0; a < shortest; a++) {
          img.data[(5 + offset) * img.width + 3 + offset + a] = 0;
          img.data[(3 + offset + a) * img.width + 120 + 3 * offset] = 0;
        }
      }
      expect(removeRules(img).data).toEqual(plainRemoveRules(img));
    }
    // No rule, no copy.
    const blank = randomImage(50, 40, 3, true);
    expect(removeRules(blank)).toBe(blank);
  });
});

/** removeRules by its definition: every maximal run of every row and column judged one by one. */
function plainRemoveRules(img: GrayImage): Uint8Array {
  const { width, height, data } = img;
  const minLength = Math.round(0.4 * img.dpi!);
  const reach = Math.max(2, Math.round(0.03 * img.dpi!));
  const threshold = otsu(data);
  const out = new Uint8Array(data);
  const lines = [
    { count: height, length: width, at: (line: number, p: number) => line * width + p },
    { count: width, length: height, at: (line: number, p: number) => p * width + line },
  ];
  for (const { count, length, at } of lines) {
    for (let line = 0; line < count; line++) {
      for (let from = 0; from < length; ) {
        let to = from;
        while (to < length && data[at(line, to)]! < threshold) to++;
        if (to - from >= minLength) {
          const inkBeside = (side: number) => {
            let ink = 0;
            for (let p = from; p < to; p++) if (data[at(side, p)]! < threshold) ink++;
            return ink;
          };
          const sides = [line - reach, line + reach].filter((side) => side >= 0 && side < count);
          if (sides.every((side) => inkBeside(side) <= 0.3 * (to - from))) {
            for (let p = from; p < to; p++) out[at(line, p)] = 255;
            for (const near of [line - 2, line - 1, line + 1, line + 2]) {
              if (near < 0 || near >= count) continue;
              for (let p = from; p < to; p++) if (out[at(near, p)]! >= threshold) out[at(near, p)] = 255;
            }
          }
        }
        from = Math.max(to, from + 1);
      }
    }
  }
  return out;
}
