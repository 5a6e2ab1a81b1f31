import { describe, expect, it } from "vitest";
import { readPlainText } from "../../extractors/readers/text.ts";
import { isLabelOnly, readLabel } from "../../extractors/layout/labels.ts";
import { extractFromText } from "../../extractors/extract.ts";

const blocksOf = (text: string) => readPlainText(text, { encoding: "utf-8" }).blocks.map((b) => b.text);
const linesOf = (text: string) => readPlainText(text, { encoding: "utf-8" }).lines.map((l) => l.text);

describe("readLabel", () => {
  it.each([
    ["I. MỤC ĐÍCH, YÊU CẦU", "roman", "I."],
    ["IV. TỔ CHỨC THỰC HIỆN", "roman", "IV."],
    ["1. Văn phòng Sở:", "arabic", "1."],
    ["2) Rà soát hồ sơ", "arabic", "2."],
    ["1.2. Rà soát hồ sơ", "multilevel", "1.2."],
    ["1.2.3 Rà soát hồ sơ", "multilevel", "1.2.3."],
    ["(1) Rà soát hồ sơ", "paren", "(1)"],
    ["Điều 3. Chánh Văn phòng", "article", "Điều 3"],
    ["- Rà soát hồ sơ", "dash", "-"],
    ["+ Rà soát hồ sơ", "plus", "+"],
    ["• Rà soát hồ sơ", "bullet", "•"],
  ])("reads %j as %s %s", (text, style, raw) => {
    const label = readLabel(text);
    expect(label).not.toBeNull();
    expect(label!.style).toBe(style);
    expect(label!.raw).toBe(raw);
  });

  it("reads letter labels a) and đ) with the letter style", () => {
    expect(readLabel("a) Rà soát hồ sơ")?.style).toBe("letter");
    expect(readLabel("đ) Rà soát hồ sơ")?.style).toBe("letter");
    expect(readLabel("a) Rà soát hồ sơ")?.length).toBe(3);
  });

  it.each([
    ["a) Rà soát hồ sơ", "a)"],
    ["đ) Rà soát hồ sơ", "đ)"],
  ])("keeps the parenthesis in the raw letter label %j → %s", (text, raw) => {
    expect(readLabel(text)!.raw).toBe(raw);
  });

  it.each([
    "-5% so với cùng kỳ",
    "Năm 2023 tỉnh đạt",
    "2023. Năm bản lề",
    "Ia. Grai",
    "Sở Nội vụ",
    "ab) không phải nhãn",
  ])("does not read %j as a label", (text) => {
    expect(readLabel(text)).toBeNull();
  });

  it("isLabelOnly is true for a label alone on a line, not for a label with text or a lone dash", () => {
    expect(isLabelOnly("1.4.")).toBe(true);
    expect(isLabelOnly("a)")).toBe(true);
    expect(isLabelOnly("1.4. Tổ chức tập huấn")).toBe(false);
  });
});

describe("buildBlocks via readPlainText", () => {
  it("rejoins a sentence cut by a page break (blank line, next line lower case)", () => {
    expect(blocksOf("Sở yêu cầu các phòng chuyên môn triển khai thực hiện\n\n\nnghiêm túc các nội dung sau đây.")).toEqual([
      "Sở yêu cầu các phòng chuyên môn triển khai thực hiện nghiêm túc các nội dung sau đây.",
    ]);
  });

  it("rejoins a sentence cut by a form feed", () => {
    const model = readPlainText("Giao Văn phòng Sở theo dõi, đôn đốc việc\f\nthực hiện và báo cáo Giám đốc Sở.", { encoding: "utf-8" });
    expect(model.blocks.map((b) => b.text)).toEqual(["Giao Văn phòng Sở theo dõi, đôn đốc việc thực hiện và báo cáo Giám đốc Sở."]);
    expect(model.source.pages).toBe(2);
    expect(model.blocks[0]!.lines.map((l) => l.page)).toEqual([1, 2]);
  });

  it("does not join across a blank line when the sentence was finished", () => {
    expect(blocksOf("Nội dung thứ nhất đã hoàn thành.\n\nnội dung tiếp theo viết thường")).toEqual([
      "Nội dung thứ nhất đã hoàn thành.",
      "nội dung tiếp theo viết thường",
    ]);
  });

  it("does not join across a blank line when the next line starts upper case", () => {
    expect(blocksOf("Sở yêu cầu các phòng triển khai\n\nPhòng Thanh tra theo dõi")).toEqual(["Sở yêu cầu các phòng triển khai", "Phòng Thanh tra theo dõi"]);
  });

  it("joins wrapped lines of one sentence without a blank line", () => {
    expect(blocksOf("Sở Công Thương đề nghị các phòng\nchuyên môn khẩn trương thực hiện.")).toEqual(["Sở Công Thương đề nghị các phòng chuyên môn khẩn trương thực hiện."]);
  });

  it("starts a new block at a numbered item after a line, even mid-sentence", () => {
    expect(blocksOf("Sở yêu cầu các phòng thực hiện các nội dung sau\n1. Rà soát hồ sơ tồn đọng\n2. Báo cáo kết quả về Văn phòng Sở")).toEqual([
      "Sở yêu cầu các phòng thực hiện các nội dung sau",
      "1. Rà soát hồ sơ tồn đọng",
      "2. Báo cáo kết quả về Văn phòng Sở",
    ]);
  });

  it("starts a new block at dash, plus, letter and paren items", () => {
    expect(blocksOf("a) Rà soát hồ sơ;\n- Cập nhật phần mềm;\n+ Gửi báo cáo;\n(1) Tổng hợp số liệu")).toEqual([
      "a) Rà soát hồ sơ;",
      "- Cập nhật phần mềm;",
      "+ Gửi báo cáo;",
      "(1) Tổng hợp số liệu",
    ]);
  });

  it("starts a new block at letter parts (Kính gửi, Căn cứ, Nơi nhận)", () => {
    expect(blocksOf("V/v tăng cường công tác cải cách hành chính\nKính gửi: Các phòng chuyên môn thuộc Sở")).toEqual([
      "V/v tăng cường công tác cải cách hành chính",
      "Kính gửi: Các phòng chuyên môn thuộc Sở",
    ]);
  });

  it("keeps '1.4.' alone on a line as its own block, and the outline gives it the text that follows", () => {
    expect(blocksOf("1.4.\nTổ chức tập huấn nghiệp vụ cho công chức.")).toEqual(["1.4.", "Tổ chức tập huấn nghiệp vụ cho công chức."]);
    const { tasks } = extractFromText("Sở yêu cầu Văn phòng Sở thực hiện các nội dung sau:\n1.4.\nTổ chức tập huấn nghiệp vụ cho công chức.");
    expect(tasks.map((t) => [t.ref, t.text])).toEqual([["1.4", "Tổ chức tập huấn nghiệp vụ cho công chức."]]);
  });

  it("moves a converter's stranded label at the end of a heading to its own line", () => {
    expect(linesOf("1. Nâng cao chỉ số cải cách hành chính tiến bộ 1.1.\nRà soát thủ tục hành chính.")).toEqual([
      "1. Nâng cao chỉ số cải cách hành chính tiến bộ",
      "1.1.",
      "Rà soát thủ tục hành chính.",
    ]);
  });

  it("splits a stranded label that is followed by its item's text on the same line", () => {
    expect(linesOf("1. Nâng cao chỉ số tiến bộ 1.1. Rà soát thủ tục hành chính.")).toEqual([
      "1. Nâng cao chỉ số tiến bộ",
      "1.1. Rà soát thủ tục hành chính.",
    ]);
  });

  it("splits a first item label glued after an all-caps roman heading", () => {
    expect(linesOf("II. TỔ CHỨC THỰC HIỆN 1.\nSở Nội vụ chủ trì.")).toEqual(["II. TỔ CHỨC THỰC HIỆN", "1.", "Sở Nội vụ chủ trì."]);
  });

  it("does not split a clause number in running text", () => {
    expect(linesOf("Theo khoản 2.1 của Điều 3 Thông tư này.")).toEqual(["Theo khoản 2.1 của Điều 3 Thông tư này."]);
    expect(linesOf("Tăng 1.5 lần so với năm trước")).toEqual(["Tăng 1.5 lần so với năm trước"]);
  });

  it("keeps line offsets consistent with the model's text", () => {
    const model = readPlainText("Số: **526**/VP-HCTC\n\nKính gửi: Sở Nội vụ", { encoding: "utf-8" });
    for (const line of model.lines) expect(model.text.slice(line.start, line.end)).toBe(line.text);
  });
});
