/**
 * The fixed wording of a letter's frame, restored where OCR lost a
 * diacritic. The header, the document-type title and the signature block
 * use a closed set of phrases (Nghị định 30/2020, Phụ lục I and III), and
 * the place names are the provinces and centrally-run cities: a run of
 * capitalised words whose diacritic-free form equals one of them can only be
 * that phrase ("CHU TỊCH" → "CHỦ TỊCH", "KÉ HOẠCH" → "KẾ HOẠCH",
 * "Cân Thơ" → "Cần Thơ"). Diacritics are what the fast OCR models miss most
 * in bold capitals, and words in capitals are never ordinary prose.
 */
import { fold } from "../../text/normalize.ts";

/** Phrases in capitals: the header, titles of document types, the signature's authority and titles. */
const CAPITAL_PHRASES = [
  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM",
  "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "THÀNH PHỐ", "THỊ XÃ", "TỈNH",
  "VĂN PHÒNG", "BAN CHỈ ĐẠO", "CHÍNH PHỦ", "THỦ TƯỚNG CHÍNH PHỦ", "ĐẠI HỌC", "CÔNG THƯƠNG",
  "THÔNG BÁO", "KẾ HOẠCH", "QUYẾT ĐỊNH", "CHỈ THỊ", "NGHỊ QUYẾT", "CÔNG VĂN", "BÁO CÁO", "TỜ TRÌNH",
  "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "KẾT LUẬN", "CÔNG ĐIỆN", "GIẤY MỜI", "QUY CHẾ", "QUY ĐỊNH", "PHƯƠNG ÁN", "ĐỀ ÁN",
  "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC", "TỔNG GIÁM ĐỐC", "PHÓ CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG",
  "PHÓ TRƯỞNG BAN", "TRƯỞNG BAN", "PHÓ HIỆU TRƯỞNG", "HIỆU TRƯỞNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CHÁNH THANH TRA",
  "TRƯỞNG PHÒNG", "CỤC TRƯỞNG", "VỤ TRƯỞNG", "VIỆN TRƯỞNG", "BÍ THƯ",
];

/** Provinces and centrally-run cities, before and after the 2025 merger (names of two or more syllables). */
const PLACES = [
  "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương", "Bình Định",
  "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
  "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình",
  "Hồ Chí Minh", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An",
  "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi",
  "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế",
  "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
];

/**
 * Phrases of the frame matched in any case; each has no other reading without
 * diacritics ("Tự do" alone would: "từ đó", so the whole tiêu ngữ is the phrase).
 */
const ANY_CASE = [
  "Độc lập - Tự do - Hạnh phúc", "thành phố", "Nơi nhận", "Kính gửi", "chuyên môn",
  // Party committees and the departments (sở, bộ) named in headers, recipients and references.
  "Chi ủy", "Đảng ủy", "Tỉnh ủy", "Huyện ủy", "Thành ủy",
  "Kế hoạch và Đầu tư", "Tài nguyên và Môi trường", "Khoa học và Công nghệ", "Giáo dục và Đào tạo",
  "Thông tin và Truyền thông", "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường",
  "Lao động - Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch", "Giao thông vận tải",
  // Bodies and terms of the body and the Nơi nhận list whose hook or circumflex the fast model drops
  // ("thâm định", "tô chức", "kiêm sát", "Công Thông tin điện tử"); none has another reading.
  "thẩm định", "thẩm quyền", "tổ chức", "kiểm tra", "Viện kiểm sát", "Cổng thông tin điện tử",
  // Compounds written with a dash in every official text; OCR often loses a thin dash.
  "tổ chức chính trị - xã hội", "kinh tế - xã hội",
];

/** caps: only words in capitals; capitalised: each word starts with a capital; any: any case, kept. */
type Mode = "caps" | "capitalised" | "any";

interface Phrase {
  folded: string[];
  words: string[];
  /** Per word: whether the phrase puts a dash after it ("Lao động - Thương binh"). */
  dashAfter: boolean[];
  mode: Mode;
}

function phrase(text: string, mode: Mode): Phrase {
  const words: string[] = [];
  const dashAfter: boolean[] = [];
  for (const part of text.split(/\s+/)) {
    if (part === "-") dashAfter[words.length - 1] = true;
    else (words.push(part), dashAfter.push(false));
  }
  return { words, folded: words.map((w) => fold(w)), dashAfter, mode };
}

const PHRASES: Phrase[] = [
  ...CAPITAL_PHRASES.map((p) => phrase(p, "caps")),
  ...PLACES.map((p) => phrase(p, "capitalised")),
  ...ANY_CASE.map((p) => phrase(p, "any")),
]
  // Longest first, so "PHÓ CHỦ TỊCH" wins over "CHỦ TỊCH".
  .sort((a, b) => b.words.length - a.words.length);

/** The phrases by their first folded word, longest first: a word is tried only against phrases it can begin. */
const BY_FIRST_WORD = new Map<string, Phrase[]>();
for (const p of PHRASES) BY_FIRST_WORD.set(p.folded[0]!, [...(BY_FIRST_WORD.get(p.folded[0]!) ?? []), p]);

const FRAME_WORDS = new Set(CAPITAL_PHRASES.flatMap((p) => p.split(/\s+/).map((w) => fold(w))));

/** A word in capitals of the frame's fixed phrases (a title word of the signature: CHỦ, TỊCH, PHÓ...). */
export function isFrameWord(word: string): boolean {
  const w = word.replace(/[^\p{L}]+/gu, "");
  return w.length > 0 && isCapitals(w) && FRAME_WORDS.has(fold(w));
}

const isCapitals = (w: string) => w === w.toUpperCase() && /\p{Lu}/u.test(w);
const isCapitalised = (w: string) => /^\p{Lu}/u.test(w);

/** Restores the fixed phrases in one line; every other character stays where it was. */
export function restorePhrases(line: string): string {
  const tokens = [...line.matchAll(/[\p{L}]+/gu)].map((m) => ({ text: m[0], start: m.index, folded: fold(m[0]) }));
  if (!tokens.length) return line;
  const replacements: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (const p of BY_FIRST_WORD.get(tokens[i]!.folded) ?? []) {
      const n = p.words.length;
      if (i + n > tokens.length) continue;
      const run = tokens.slice(i, i + n);
      if (!run.every((t, k) => t.folded === p.folded[k])) continue;
      const caps = run.every((t) => isCapitals(t.text));
      if (p.mode === "caps" && !caps) continue;
      if (p.mode === "capitalised" && !run.every((t) => isCapitalised(t.text))) continue;
      // Words must be neighbours (a space or " - " between), not picked across punctuation.
      const gaps = run.slice(1).map((t, k) => line.slice(run[k]!.start + run[k]!.text.length, t.start));
      if (!gaps.every((g) => /^\s*(?:[-–,]\s*)?$/u.test(g))) continue;
      run.forEach((t, k) => {
        const word = p.words[k]!;
        // The OCR'd word's case is kept: capitals stay capitals, a capital initial stays.
        const text = caps ? word.toUpperCase() : p.mode === "any" ? matchCase(word, t.text) : word;
        // Read with all its marks, only placed the other accepted way ("Tỉnh uỷ" for "Tỉnh ủy"): kept as printed.
        if (!sameMarks(word, t.text) && text !== t.text) replacements.push({ start: t.start, end: t.start + t.text.length, text });
        // A thin dash the OCR lost ("Lao động Thương binh và Xã hội"): the phrase is only ever printed with it.
        const next = run[k + 1];
        if (next && p.dashAfter[k] && /^\s+$/u.test(gaps[k]!)) replacements.push({ start: t.start + t.text.length, end: next.start, text: " - " });
      });
      matched = n;
      break;
    }
    i += matched || 1;
  }
  let out = line;
  for (const r of replacements.reverse()) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}

/** The same letters and the same marks, wherever on the syllable the tone stands (uỷ/ủy, hoà/hòa). */
function sameMarks(a: string, b: string): boolean {
  const split = (w: string) => {
    const nfd = w.toLowerCase().normalize("NFD");
    return { letters: nfd.replace(/\p{M}/gu, ""), marks: [...nfd.replace(/\P{M}/gu, "")].sort().join("") };
  };
  const x = split(a);
  const y = split(b);
  return x.letters === y.letters && x.marks === y.marks;
}

function matchCase(word: string, like: string): string {
  const lower = word.toLowerCase();
  return isCapitalised(like) ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
}
