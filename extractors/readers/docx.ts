import JSZip from "jszip";
import mammoth from "mammoth";
import { ReadError, isReadError } from "../errors.ts";
import type { Line, TextModel } from "../model.ts";
import { buildBlocks } from "../layout/blocks.ts";
import { openDocx } from "./docx/zip.ts";
import { readNumbering } from "./docx/numbering.ts";
import { markParagraphs } from "./docx/paragraphs.ts";
import { layoutDocument, type MammothElement } from "./docx/layout.ts";
import { buildXml, parseXml } from "./docx/xml.ts";

export interface DocxReadOptions {
  fileName?: string;
}

/**
 * DOCX → the line/block model.
 *
 * 1. The package is opened with limits (docx/zip.ts): zip bombs, non-ZIP
 *    bytes, packages without a main document and any part declaring a DTD
 *    are refused before any XML is parsed.
 * 2. List labels are rebuilt from numbering.xml (docx/numbering.ts,
 *    docx/labels.ts), because mammoth drops Word's automatic numbers and
 *    bullets; every w:p is marked with its ordinal (docx/paragraphs.ts).
 * 3. mammoth reads the text and tables from a clean package holding only the
 *    vetted parts, and its document tree is laid out as lines
 *    (docx/layout.ts): header and signature tables column by column, each
 *    paragraph a new block, labels prefixed ("1. ...", "a) ...", "- ...").
 *
 * Nothing outside the package is ever read: mammoth's `externalFileAccess`
 * stays false, images are never converted, and linked parts are not served.
 */
export async function readDocx(bytes: Uint8Array, options: DocxReadOptions = {}): Promise<TextModel> {
  const { fileName } = options;
  try {
    return await read(bytes, fileName);
  } catch (error) {
    if (isReadError(error)) throw fileName ? error.withFileName(fileName) : error;
    throw new ReadError("corrupt_file", `the DOCX could not be read (${(error as Error).message})`, fileName);
  }
}

async function read(bytes: Uint8Array, fileName: string | undefined): Promise<TextModel> {
  const pkg = await openDocx(bytes, fileName);
  const part = (path: string | null) => (path ? parseXml(pkg.parts.get(path)!, path, fileName) : null);
  const defs = readNumbering(part(pkg.numberingPath), part(pkg.stylesPath));
  const documentTree = part(pkg.mainPath)!;
  const marked = markParagraphs(documentTree, defs);

  // A package of the vetted parts only, stored uncompressed (no inflation cost for mammoth).
  const clean = new JSZip();
  for (const [path, xml] of pkg.parts) clean.file(path, path === pkg.mainPath ? buildXml(documentTree) : xml);
  const buffer = await clean.generateAsync({ type: "nodebuffer", compression: "STORE" });

  const captured: { tree?: MammothElement } = {};
  const result = await mammoth.convertToHtml(
    { buffer },
    {
      externalFileAccess: false,
      includeEmbeddedStyleMap: false,
      // The document transform is where mammoth's tree (paragraphs, runs, tables) is taken;
      // an empty document goes on to the HTML writer, which has nothing left to do.
      transformDocument: (document: MammothElement) => {
        captured.tree = document;
        return { ...document, children: [] };
      },
    },
  );
  if (!captured.tree) throw new ReadError("corrupt_file", "mammoth returned no document", fileName);

  const layout = layoutDocument(captured.tree, marked.labels);
  if (!layout.lines.length) {
    const why = layout.images ? ` (it holds ${layout.images} image${layout.images > 1 ? "s" : ""}: a scan pasted into Word needs OCR)` : "";
    throw new ReadError("no_text", `the DOCX has no text${why}`, fileName);
  }

  // mammoth's warnings are about HTML styling or elements it skips by design; its errors mean lost content.
  const warnings = [...new Set(result.messages.filter((m) => m.type === "error").map((m) => `mammoth: ${m.message}`))].slice(0, 3);
  if (marked.unknownFormats.length) warnings.push(`list numbers in format ${marked.unknownFormats.join(", ")} were read as 1, 2, 3`);
  if (layout.images) warnings.push(layout.images > 1 ? `${layout.images} images in the document were not read` : "an image in the document was not read");
  // Word and every common writer use the w: prefix; a package that binds WordprocessingML to
  // another prefix is still read by mammoth (it resolves namespaces), only without list labels.
  if (!marked.labels.length) warnings.push("no w:p paragraphs found under the usual w: prefix: list numbers and bullets were not rebuilt");

  const lines: Line[] = [];
  const blankBefore = new Set<number>();
  let offset = 0;
  for (const raw of layout.lines) {
    const line: Line = { text: raw.text, page: 1, index: lines.length, start: offset, end: offset + raw.text.length };
    if (raw.column) line.column = raw.column;
    if (raw.blankBefore) blankBefore.add(line.index);
    lines.push(line);
    offset = line.end + 1;
  }
  return {
    text: lines.map((l) => l.text).join("\n"),
    lines,
    blocks: buildBlocks(lines, blankBefore),
    source: { format: "docx", reader: "mammoth", ocr: false, pages: 1, warnings },
  };
}
