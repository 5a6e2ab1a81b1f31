import type { DocumentType } from "../../schemas/extraction.ts";
import { fold } from "../text/normalize.ts";

/**
 * Document types of ND 30/2020 Phụ lục III: the name as written and the code
 * used in symbols (QĐ-UBND, 01-NQ/TU, 08/2018/NĐ-CP).
 */
interface TypeEntry {
  type: DocumentType;
  /** Folded (diacritic-free, lower-case) names. Longer names first where one contains another. */
  names: string[];
  codes: string[];
}

const TYPES: TypeEntry[] = [
  { type: "chuong_trinh", names: ["chuong trinh hanh dong", "chuong trinh cong tac", "chuong trinh"], codes: ["CTr", "CTHĐ", "CTHD"] },
  { type: "nghi_quyet", names: ["nghi quyet"], codes: ["NQ"] },
  { type: "nghi_dinh", names: ["nghi dinh"], codes: ["NĐ"] },
  { type: "quyet_dinh", names: ["quyet dinh"], codes: ["QĐ"] },
  { type: "chi_thi", names: ["chi thi"], codes: ["CT"] },
  { type: "thong_bao", names: ["thong bao ket luan", "thong bao"], codes: ["TB"] },
  { type: "ke_hoach", names: ["ke hoach"], codes: ["KH"] },
  { type: "thong_tu", names: ["thong tu lien tich", "thong tu"], codes: ["TT", "TTLT"] },
  { type: "luat", names: ["bo luat", "luat"], codes: ["QH"] },
  { type: "bao_cao", names: ["bao cao"], codes: ["BC"] },
  { type: "to_trinh", names: ["to trinh"], codes: ["TTr"] },
  { type: "huong_dan", names: ["huong dan"], codes: ["HD", "HĐ"] },
  { type: "de_an", names: ["de an"], codes: ["ĐA"] },
  { type: "ket_luan", names: ["ket luan"], codes: ["KL"] },
  { type: "cong_dien", names: ["cong dien"], codes: ["CĐ"] },
  { type: "quy_che", names: ["quy che"], codes: ["QC"] },
  { type: "quy_dinh", names: ["quy dinh"], codes: ["QyĐ", "QYĐ"] },
  { type: "phuong_an", names: ["phuong an"], codes: ["PA"] },
  { type: "giay_moi", names: ["giay moi"], codes: ["GM"] },
  { type: "cong_van", names: ["cong van", "van ban"], codes: [] },
];

const BY_NAME = new Map<string, DocumentType>();
for (const t of TYPES) for (const n of t.names) BY_NAME.set(n, t.type);
const BY_CODE = new Map<string, DocumentType>();
for (const t of TYPES) for (const c of t.codes) BY_CODE.set(c.toUpperCase(), t.type);

/** Type names as written (lower case, with diacritics), longest first. */
export const TYPE_NAMES = [
  "chương trình hành động", "chương trình", "nghị quyết", "nghị định", "quyết định", "chỉ thị", "thông báo", "kế hoạch",
  "thông tư", "luật", "báo cáo", "tờ trình", "hướng dẫn", "đề án", "kết luận", "công điện", "quy chế", "quy định",
  "phương án", "giấy mời", "công văn", "văn bản",
];

/** Folded type names, longest first, for building patterns over folded text. */
export const TYPE_NAMES_FOLDED = [...BY_NAME.keys()].sort((a, b) => b.length - a.length);

export function typeFromName(name: string): DocumentType | null {
  return typeFromFoldedName(fold(name).replace(/\s+/g, " ").trim());
}

/** typeFromName for a name already folded, spaced and trimmed (a match of a TYPE_NAMES_FOLDED pattern). */
export function typeFromFoldedName(folded: string): DocumentType | null {
  return BY_NAME.get(folded) ?? null;
}

/** The type a symbol code names: "QĐ" → quyet_dinh. "HĐ" is ambiguous and read as Hướng dẫn only in type position. */
export function typeFromCode(code: string): DocumentType | null {
  // "QH13": a law's code carries the legislature's term.
  return BY_CODE.get(code.toUpperCase()) ?? BY_CODE.get(code.toUpperCase().replace(/\d+$/, "")) ?? null;
}

/**
 * The type a symbol names by its first segment, where ND 30/2020 puts the type
 * code: "QĐ-UBND" → quyet_dinh, "NQ/TU" (of 01-NQ/TU) → nghi_quyet,
 * "2018/NĐ-CP" → nghi_dinh. A công văn's symbol starts with the issuer's code
 * ("SCT-VP", "SNV-TT") and names no type.
 */
export function typeFromSymbol(symbol: string): DocumentType | null {
  const withoutNumber = symbol.replace(/^\d+[a-zA-Z]?\s*[-/]\s*/, "").replace(/^\d{4}\s*\/\s*/, "");
  const first = withoutNumber.split(/[-/]/)[0] ?? "";
  return typeFromCode(first.trim());
}
