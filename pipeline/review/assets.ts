import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, resolve, sep } from "node:path";

/**
 * Static files of the review page, all served by vanthu (no CDN): web/ and
 * pdf.js from node_modules/pdfjs-dist (legacy build, its worker, CMaps and
 * standard fonts). The list of files is made once at start-up by listing
 * those directories; a request names an entry of that list, never a path on
 * disk, so nothing outside them can be reached.
 */
export const ASSET_PREFIX = "/review/assets";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".bcmap": "application/octet-stream",
  ".pfb": "application/octet-stream",
  ".ttf": "font/ttf",
  ".wasm": "application/wasm",
};

export interface Asset {
  file: string;
  type: string;
}

export type AssetTable = Map<string, Asset>;

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

export async function loadAssets(): Promise<AssetTable> {
  const table: AssetTable = new Map();
  const add = (name: string, file: string) => {
    const type = TYPES[extname(file).toLowerCase()];
    if (type) table.set(name, { file, type });
  };
  const web = resolve(import.meta.dirname, "../../web");
  for (const file of await listFiles(web)) add(relative(web, file).split(sep).join("/"), file);

  const pdfjs = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  // The legacy build: the modern one assumes newer browsers than some office machines run.
  for (const name of ["pdf.min.mjs", "pdf.worker.min.mjs"]) add(`pdfjs/${name}`, join(pdfjs, "legacy", "build", name));
  for (const dir of ["cmaps", "standard_fonts", "wasm"]) {
    for (const file of await listFiles(join(pdfjs, dir)).catch(() => [])) add(`pdfjs/${dir}/${relative(join(pdfjs, dir), file).split(sep).join("/")}`, file);
  }
  return table;
}

export async function readAsset(table: AssetTable, name: string): Promise<{ bytes: Buffer; type: string } | null> {
  const asset = table.get(name);
  if (!asset) return null;
  return { bytes: await readFile(asset.file), type: asset.type };
}
