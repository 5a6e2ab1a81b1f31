import JSZip from "jszip";
import { ReadError } from "../../errors.ts";
import { assertNoDtd, attr, childrenOf, decodeXml, findFirst, parseXml, type XmlNode } from "./xml.ts";

/**
 * Opening a DOCX package safely. A DOCX is a ZIP; a hostile one is a zip bomb
 * (a few hundred KB that inflate to gigabytes). The central directory is read
 * first (jszip's loadAsync inflates nothing) and the declared sizes are
 * checked before any entry is inflated; inflation itself is then capped, so a
 * directory that lies about sizes cannot get past the limits either.
 */

export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
export const MAX_COMPRESSION_RATIO = 100;
/**
 * Below this many inflated bytes a high ratio is harmless (a 40 KB styles.xml
 * of repeated elements can compress 100×), so the ratio is judged only above it.
 */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export interface ZipEntrySize {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Rejects a package whose declared sizes make it a zip bomb. Pure, so it is tested on its own. */
export function checkZipLimits(entries: ZipEntrySize[], fileName?: string): void {
  let total = 0;
  let compressed = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    compressed += e.compressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > RATIO_FLOOR_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw new ReadError("too_large", `${e.name} inflates ${Math.round(ratio)}× (${mb(e.compressedSize)} to ${mb(e.uncompressedSize)}), more than the ${MAX_COMPRESSION_RATIO}× a document can have: refused as a zip bomb`, fileName);
    }
  }
  if (total > MAX_UNCOMPRESSED_BYTES) {
    throw new ReadError("too_large", `the DOCX inflates to ${mb(total)}, more than the ${mb(MAX_UNCOMPRESSED_BYTES)} limit`, fileName);
  }
  const ratio = total / Math.max(1, compressed);
  if (total > RATIO_FLOOR_BYTES && ratio > MAX_COMPRESSION_RATIO) {
    throw new ReadError("too_large", `the DOCX inflates ${Math.round(ratio)}× (${mb(compressed)} to ${mb(total)}), more than ${MAX_COMPRESSION_RATIO}×: refused as a zip bomb`, fileName);
  }
}

/** jszip keeps each entry's central-directory sizes on a private `_data` object; it is the only place they are exposed. */
function declaredSize(file: JSZip.JSZipObject): ZipEntrySize | null {
  const data = (file as unknown as { _data?: { compressedSize?: unknown; uncompressedSize?: unknown } })._data;
  if (typeof data?.compressedSize !== "number" || typeof data.uncompressedSize !== "number") return null;
  return { name: file.name, compressedSize: data.compressedSize, uncompressedSize: data.uncompressedSize };
}

export interface DocxPackage {
  /** Path of the main document part (word/document.xml in practice). */
  mainPath: string;
  /** Decoded XML of the parts the reader needs, by path. */
  parts: Map<string, string>;
  /** Paths of the numbering and styles parts, when the package has them. */
  numberingPath: string | null;
  stylesPath: string | null;
}

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

export async function openDocx(bytes: Uint8Array, fileName?: string): Promise<DocxPackage> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (error) {
    throw new ReadError("corrupt_file", `not a readable DOCX: the ZIP container is damaged (${(error as Error).message})`, fileName);
  }
  const files = Object.values(zip.files).filter((f) => !f.dir);
  const sizes = files.map(declaredSize);
  // Without declared sizes (a jszip change) the inflation cap below still holds.
  if (sizes.every((s) => s !== null)) checkZipLimits(sizes as ZipEntrySize[], fileName);

  const budget = { left: MAX_UNCOMPRESSED_BYTES };
  const parts = new Map<string, string>();
  const load = async (path: string): Promise<string | null> => {
    if (parts.has(path)) return parts.get(path)!;
    const file = zip.file(path);
    if (!file) return null;
    const xml = decodeXml(await inflateCapped(file, budget, fileName));
    assertNoDtd(xml, path, fileName);
    parts.set(path, xml);
    return xml;
  };

  await load("[Content_Types].xml");
  const packageRels = await load("_rels/.rels");
  const mainPath = (packageRels && relTarget(packageRels, "_rels/.rels", "", "officeDocument", zip, fileName)) ?? "word/document.xml";
  if (!zip.file(mainPath)) {
    throw new ReadError("corrupt_file", `this ZIP archive has no ${mainPath}, so it is not a Word document`, fileName);
  }
  await load(mainPath);
  const dir = mainPath.includes("/") ? mainPath.slice(0, mainPath.lastIndexOf("/")) : "";
  const relsPath = `${dir ? dir + "/" : ""}_rels/${mainPath.slice(dir ? dir.length + 1 : 0)}.rels`;
  const documentRels = await load(relsPath);
  const find = (type: string) => {
    const fallback = `${dir ? dir + "/" : ""}${type}.xml`;
    return (documentRels && relTarget(documentRels, relsPath, dir, type, zip, fileName)) ?? (zip.file(fallback) ? fallback : null);
  };
  // Footnotes, comments, headers and media are not loaded: the text model is the letter's body.
  const numberingPath = find("numbering");
  const stylesPath = find("styles");
  if (numberingPath) await load(numberingPath);
  if (stylesPath) await load(stylesPath);
  return { mainPath, parts, numberingPath, stylesPath };
}

/** The package path a relationship of `type` points to, if that part exists. */
function relTarget(xml: string, part: string, baseDir: string, type: string, zip: JSZip, fileName?: string): string | null {
  const root = parseXml(xml, part, fileName);
  const rels = findFirst(root, "Relationships");
  for (const rel of rels ? childrenOf(rels) : ([] as XmlNode[])) {
    if (attr(rel, "Type") !== REL + type || attr(rel, "TargetMode") === "External") continue;
    const target = attr(rel, "Target") ?? "";
    const path = normalisePath(target.startsWith("/") ? target.slice(1) : baseDir ? `${baseDir}/${target}` : target);
    if (zip.file(path)) return path;
  }
  return null;
}

function normalisePath(path: string): string {
  const out: string[] = [];
  for (const piece of path.split("/")) {
    if (piece === "..") out.pop();
    else if (piece && piece !== ".") out.push(piece);
  }
  return out.join("/");
}

/**
 * Inflates one entry, stopping as soon as the running total passes what the
 * entry declared or what is left of the package budget: jszip streams in 16 KB
 * compressed chunks, so at most one chunk's output is produced past the cap.
 */
function inflateCapped(file: JSZip.JSZipObject, budget: { left: number }, fileName?: string): Promise<Uint8Array> {
  const declared = declaredSize(file)?.uncompressedSize;
  const cap = Math.min(budget.left, declared ?? Infinity);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const stream = file.nodeStream("nodebuffer");
    const fail = (error: ReadError) => {
      if (settled) return;
      settled = true;
      stream.pause();
      stream.removeAllListeners("data");
      reject(error);
    };
    stream.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        fail(total > budget.left
          ? new ReadError("too_large", `${file.name} inflates past the ${mb(MAX_UNCOMPRESSED_BYTES)} limit`, fileName)
          : new ReadError("corrupt_file", `${file.name} inflates to more than the ${declared} bytes the ZIP directory declares`, fileName));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("error", (error: Error) => fail(new ReadError("corrupt_file", `${file.name} cannot be inflated (${error.message})`, fileName)));
    stream.on("end", () => {
      if (settled) return;
      settled = true;
      budget.left -= total;
      resolve(Buffer.concat(chunks, total));
    });
  });
}
