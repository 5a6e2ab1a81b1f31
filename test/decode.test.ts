import { describe, it, expect } from "vitest";
import iconv from "iconv-lite";
import { decodeText } from "../extractors/readers/decode.ts";
import { ReadError, type ReadErrorCode } from "../extractors/errors.ts";

const SAMPLE =
  "Số: 526/VP-HCTC\nQuảng Trị, ngày 14 tháng 10 năm 2022\nKính gửi: Các phòng, ban, trung tâm thuộc Văn phòng UBND tỉnh.";
const HEADING = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc";
const LETTER = [
  "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
  "VĂN PHÒNG",
  "V/v triển khai thực hiện Quyết định số 1234/QĐ-UBND ngày 05/9/2022 của UBND tỉnh",
  "Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
  "1. Rà soát, cập nhật danh mục hồ sơ năm 2022, hoàn thành trước ngày 30/10/2022.",
  "2. Phối hợp với Sở Thông tin và Truyền thông tổ chức tập huấn sử dụng phần mềm quản lý văn bản.",
  "Các huyện Đắk Lắk, Krông Búk báo cáo tình hình khắc phục hậu quả bão lũ.",
  "Tổng kinh phí: 1.250.000.000 đồng (Một tỷ, hai trăm năm mươi triệu đồng chẵn).",
  "Nơi nhận:",
  "- Lưu: VT, HCTC.",
  "KT. CHÁNH VĂN PHÒNG",
  "Nguyễn Văn Hưởng",
];

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/u;

/**
 * Windows-1258 bytes as Windows writes them. CP1258 has precomposed codes only
 * for some letters (à, á, â, ă, ê, ô, ơ, ư, ...); the rest (ả, ị, ố, ộ...) are a
 * base letter plus a combining tone byte, which iconv-lite does not produce by
 * itself (it writes "?"). `precomposed: false` spells every tone as a combining
 * byte, as Vietnamese keyboard drivers in CP1258 mode do.
 */
function cp1258(s: string, precomposed = true): Buffer {
  const spelled = s.normalize("NFD").replace(/(\p{L})(\p{M}*)/gu, (all, base: string, marks: string) => {
    const nfc = all.normalize("NFC");
    if (precomposed && iconv.decode(iconv.encode(nfc, "windows-1258"), "windows-1258") === nfc) return nfc;
    const shape = [...marks].filter((m) => !TONES.test(m)).join("");
    const tone = [...marks].filter((m) => TONES.test(m)).join("");
    return (base + shape).normalize("NFC") + tone;
  });
  const bytes = iconv.encode(spelled, "windows-1258");
  expect(iconv.decode(bytes, "windows-1258").normalize("NFC")).toBe(s.normalize("NFC")); // the fixture itself is right
  return bytes;
}

/** Bytes from a template: literal parts are ASCII, `${0xNN}` are single raw bytes. */
function bytesOf(parts: TemplateStringsArray, ...raw: number[]): Uint8Array {
  const out: number[] = [];
  parts.forEach((part, i) => {
    out.push(...Buffer.from(part, "latin1"));
    if (i < raw.length) out.push(raw[i]!);
  });
  return Uint8Array.from(out);
}

function utf16be(s: string): Buffer {
  return Buffer.from(s, "utf16le").swap16();
}

function readError(run: () => unknown): ReadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ReadError);
    return error as ReadError;
  }
  throw new Error("expected a ReadError, but decoding succeeded");
}

function expectReadError(run: () => unknown, code: ReadErrorCode, reason: RegExp, fileName = "cv-526.txt"): void {
  const error = readError(run);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(reason);
  expect(error.message.startsWith(`${fileName}: `)).toBe(true);
  expect(error.fileName).toBe(fileName);
}

describe("decodeText: empty input", () => {
  it("rejects 0 bytes as empty_file, naming the file", () => {
    expectReadError(() => decodeText(new Uint8Array(0), "cv-526.txt"), "empty_file", /empty/);
  });

  it("gives a message without a file prefix when no name is known", () => {
    const error = readError(() => decodeText(new Uint8Array(0)));
    expect(error.code).toBe("empty_file");
    expect(error.message).toBe("the file is empty (0 bytes)");
  });
});

describe("decodeText: Unicode", () => {
  it("reads UTF-8 without a BOM", () => {
    expect(decodeText(Buffer.from(SAMPLE, "utf8"))).toEqual({ text: SAMPLE, encoding: "utf-8", warnings: [] });
  });

  it("strips a UTF-8 BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE, "utf8")]);
    const decoded = decodeText(bytes);
    expect(decoded.text).toBe(SAMPLE);
    expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(decoded.encoding).toBe("utf-8");
  });

  it("normalises decomposed UTF-8 (separate tone marks) to NFC", () => {
    const nfd = SAMPLE.normalize("NFD");
    expect(nfd).not.toBe(SAMPLE);
    expect(decodeText(Buffer.from(nfd, "utf8")).text).toBe(SAMPLE);
  });

  it("keeps CRLF line breaks as they are", () => {
    const crlf = SAMPLE.replace(/\n/g, "\r\n");
    expect(decodeText(Buffer.from(crlf, "utf8")).text).toBe(crlf);
  });

  it("reads UTF-16 LE with a BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, "utf16le")]);
    expect(decodeText(bytes)).toEqual({ text: SAMPLE, encoding: "utf-16le", warnings: [] });
  });

  it("reads UTF-16 BE with a BOM", () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(SAMPLE)]);
    expect(decodeText(bytes)).toEqual({ text: SAMPLE, encoding: "utf-16be", warnings: [] });
  });

  it("rejects UTF-16 whose bytes after the BOM are broken (cut in the middle of a character)", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, "utf16le"), Buffer.from([0x41])]);
    expectReadError(() => decodeText(bytes, "cv-526.txt"), "unsupported_encoding", /UTF-16LE.*not valid/);
  });

  it("rejects a lone UTF-16 surrogate instead of inventing a replacement character", () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be("Số "), Buffer.from([0xd8, 0x00]), utf16be("x")]);
    expectReadError(() => decodeText(bytes, "cv-526.txt"), "unsupported_encoding", /UTF-16BE/);
  });

  it("rejects UTF-32 rather than misreading its BOM as UTF-16", () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x53, 0x00, 0x00, 0x00]);
    expectReadError(() => decodeText(bytes, "cv-526.txt"), "unsupported_encoding", /UTF-32/);
  });

  it("rejects UTF-8 with a BOM followed by invalid bytes", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Số ", "utf8"), Buffer.from([0xff])]);
    expectReadError(() => decodeText(bytes, "cv-526.txt"), "unsupported_encoding", /UTF-8.*not valid/);
  });

  it("rejects damaged UTF-8 (cut short mid-character) instead of reading it as a legacy encoding", () => {
    const whole = Buffer.from(SAMPLE, "utf8");
    const cut = whole.subarray(0, whole.lastIndexOf(Buffer.from("ỉ", "utf8")) + 1); // ends 1 byte into the 3 of "ỉ"
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(cut)).toThrow();
    expectReadError(() => decodeText(cut, "cv-526.txt"), "unsupported_encoding", /UTF-8 but damaged/);
  });

  it("rejects text with NUL bytes (UTF-16 saved without a BOM)", () => {
    expectReadError(() => decodeText(Buffer.from(SAMPLE, "utf16le"), "cv-526.txt"), "unsupported_encoding", /NUL bytes/);
  });
});

describe("decodeText: Windows-1258", () => {
  it("reads Windows-1258 (precomposed where CP1258 has the letter) and normalises to NFC", () => {
    const bytes = cp1258(SAMPLE);
    expect(bytes.includes(0xd2)).toBe(true); // "ả" in "Quảng" is "a" + combining hỏi (0xD2)
    const decoded = decodeText(bytes, "cv-526.txt");
    expect(decoded.encoding).toBe("windows-1258");
    expect(decoded.text).toBe(SAMPLE);
    expect(decoded.text).not.toMatch(/\p{M}/u);
    expect(decoded.warnings).toHaveLength(1);
    expect(decoded.warnings[0]).toMatch(/read as Windows-1258/);
  });

  it("reads Windows-1258 with every tone as a combining byte", () => {
    const decoded = decodeText(cp1258(SAMPLE, false));
    expect(decoded).toMatchObject({ text: SAMPLE, encoding: "windows-1258" });
  });

  it("reads an upper-case Windows-1258 heading", () => {
    expect(decodeText(cp1258(HEADING))).toMatchObject({ text: HEADING, encoding: "windows-1258" });
  });

  it("is not mistaken for TCVN3 on any single line of a letter", () => {
    for (const line of LETTER) {
      for (const precomposed of [true, false]) {
        const decoded = decodeText(cp1258(line, precomposed));
        expect(decoded.encoding, line).toBe("windows-1258");
        expect(decoded.text).toBe(line);
      }
    }
  });

  it("keeps Windows-1258 when both readings are equally plausible (one ambiguous letter)", () => {
    // 0xE8 is "è" in Windows-1258 and "ố" in TCVN3; with nothing else to go on, Windows-1258 wins.
    expect(decodeText(bytesOf`S${0xe8}`).encoding).toBe("windows-1258");
  });
});

describe("decodeText: TCVN3 (ABC, .VnTime fonts)", () => {
  // TCVN3 byte values (TCVN 5712:1993, ABC): ố=E8 ả=B6 ị=DE à=B5 á=B8 ă=A8 í=DD ử=F6 ò=DF â=A9 ộ=E9 ỉ=D8
  const tcvnSample = bytesOf`S${0xe8}: 526/VP-HCTC
Qu${0xb6}ng Tr${0xde}, ng${0xb5}y 14 th${0xb8}ng 10 n${0xa8}m 2022
K${0xdd}nh g${0xf6}i: C${0xb8}c ph${0xdf}ng, ban, trung t${0xa9}m thu${0xe9}c V${0xa8}n ph${0xdf}ng UBND t${0xd8}nh.`;

  it("the hand-written bytes agree with iconv-lite's TCVN table", () => {
    expect(Buffer.from(tcvnSample).equals(iconv.encode(SAMPLE, "tcvn"))).toBe(true);
  });

  it("converts TCVN3 text to Unicode and says so in a warning", () => {
    const decoded = decodeText(tcvnSample, "cv-526.txt");
    expect(decoded.encoding).toBe("tcvn3");
    expect(decoded.text).toBe(SAMPLE);
    expect(decoded.warnings).toHaveLength(1);
    expect(decoded.warnings[0]).toMatch(/TCVN3/);
  });

  it("restores capitals of a heading typed with a .VnTimeH font (lower-case codes, capital glyphs)", () => {
    // ộ=E9 à=B5 ã=B7 ủ=F1 ĩ=DC ệ=D6 (lower-case codes under capital glyphs); Đ=A7 ậ=CB ự=F9 ạ=B9 ú=F3
    const bytes = bytesOf`C${0xe9}NG HO${0xb5} X${0xb7} H${0xe9}I CH${0xf1} NGH${0xdc}A VI${0xd6}T NAM
${0xa7}${0xe9}c l${0xcb}p - T${0xf9} do - H${0xb9}nh ph${0xf3}c
S${0xe8}: 12/Q${0xa7}-UBND`;
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe("tcvn3");
    expect(decoded.text).toBe(`${HEADING}\nSố: 12/QĐ-UBND`);
  });

  it("reads the TCVN 5712 upper-case codes in the control and 0x80-0x9F ranges", () => {
    const text = "ỨNG DỤNG CÔNG NGHỆ THÔNG TIN\nTỔ CHỨC THỰC HIỆN";
    const bytes = iconv.encode(text, "tcvn");
    expect(bytes.some((b) => b < 0x20 && b !== 0x0a)).toBe(true); // Ứ=0x11, Ụ=0x02, Ự=0x12
    expect(decodeText(bytes)).toMatchObject({ text, encoding: "tcvn3" });
  });

  it("is recognised on single lines and on a whole letter", () => {
    for (const unit of [...LETTER, LETTER.join("\n")]) {
      const decoded = decodeText(iconv.encode(unit, "tcvn"));
      expect(decoded.encoding, unit).toBe("tcvn3");
      expect(decoded.text).toBe(unit);
    }
  });

  it("never applies to valid UTF-8", () => {
    for (const unit of [SAMPLE, HEADING, ...LETTER]) expect(decodeText(Buffer.from(unit, "utf8")).encoding).toBe("utf-8");
  });
});

describe("decodeText: undecodable bytes", () => {
  it("rejects bytes that are neither Unicode, Windows-1258 nor TCVN3", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const noise = Uint8Array.from({ length: 400 }, () => 1 + (next() % 255));
    expectReadError(() => decodeText(noise, "cv-526.txt"), "unsupported_encoding", /not UTF-8.*Windows-1258 or TCVN3/);
  });

  it("rejects Western Latin-1 text rather than turning it into Vietnamese-looking letters", () => {
    const latin1 = iconv.encode("Le garçon a mangé une crêpe à Noël avec une naïve façade.", "latin1");
    expectReadError(() => decodeText(latin1, "cv-526.txt"), "unsupported_encoding", /save it again as Unicode \(UTF-8\)/);
  });
});
