import { describe, expect, it } from "vitest";
import { deadlineIn } from "../../extractors/fields/deadlines.ts";

describe("deadlineIn: concrete completion dates", () => {
  it.each([
    ["Báo cáo kết quả về Sở trước ngày 10/10/2018.", "2018-10-10"],
    ["Hoàn thành trước ngày 30 tháng 11 năm 2018.", "2018-11-30"],
    ["Gửi báo cáo chậm nhất ngày 15/3/2024.", "2024-03-15"],
    ["Nộp hồ sơ trước ngày 15-02-2023.", "2023-02-15"],
    ["Hạn chót là ngày 5/1/2024.", "2024-01-05"],
    ["Thời gian thực hiện: trước ngày 30/9/2024.", "2024-09-30"],
  ])("%j → %s", (text, iso) => {
    expect(deadlineIn(text)).toBe(iso);
  });

  it.each([
    ["Triển khai từ nay đến hết năm 2023.", "2023-12-31"],
    ["Thời gian thực hiện: từ nay đến hết năm 2023.", "2023-12-31"],
    ["Hoàn thành trong quý II/2020.", "2020-06-30"],
    ["Hoàn thành trong quý IV năm 2024.", "2024-12-31"],
    ["Hoàn thành trước quý III/2024.", "2024-09-30"],
    ["Hoàn thành trong tháng 6/2020.", "2020-06-30"],
    ["Hoàn thành trong năm 2021.", "2021-12-31"],
  ])("a period with completion wording gives its last day: %j → %s", (text, iso) => {
    expect(deadlineIn(text)).toBe(iso);
  });

  it("the item's own completion is its latest concrete date", () => {
    expect(deadlineIn("Báo cáo số liệu tính đến ngày 30/6/2023 và gửi trước ngày 10/7/2023.")).toBe("2023-07-10");
  });

  it("a citation date next to a deadline is not the deadline", () => {
    expect(deadlineIn("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2023 và báo cáo trước ngày 15/02/2023.")).toBe("2023-02-15");
  });

  it("'Thời hạn hoàn thành: <date>' (completion words, then a colon) gives the date", () => {
    expect(deadlineIn("Thời hạn hoàn thành: 25/12/2023.")).toBe("2023-12-25");
    expect(deadlineIn("Thời hạn: ngày 25/12/2023.")).toBe("2023-12-25");
  });
});

describe("deadlineIn: no deadline", () => {
  it.each([
    ["a bare year", "Thời gian thực hiện: Năm 2025."],
    ["'trong năm' without completion wording", "Tổ chức thực hiện trong năm 2021."],
    ["a bare quarter", "Thời gian thực hiện: Quý II/2020."],
    ["a bare month", "Triển khai trong tháng 6/2020."],
    ["a recurring day of the month", "Báo cáo trước ngày 20 hàng tháng."],
    ["a recurring day of the year", "Báo cáo định kỳ trước ngày 20/12 hằng năm."],
    ["a duration", "Giải quyết hồ sơ trong 05 ngày làm việc."],
    ["a duration counted from a date", "Giải quyết hồ sơ trong thời hạn 03 ngày kể từ ngày 01/3/2024."],
    ["a citation date", "Thực hiện Quyết định số 701/QĐ-UBND ngày 24/5/2023 của UBND tỉnh."],
    ["an event date", "Tổ chức Hội nghị vào ngày 15/3/2024 tại Hội trường Sở."],
    ["an invalid date", "Hoàn thành trước ngày 31/02/2021."],
    ["no date at all", "Thường xuyên rà soát, cập nhật thủ tục hành chính."],
  ])("%s: %j", (_what, text) => {
    expect(deadlineIn(text)).toBeNull();
  });
});

describe("deadlineIn strict (paragraphs outside a list)", () => {
  it("accepts the strongest wording", () => {
    expect(deadlineIn("Giao Văn phòng Sở báo cáo Giám đốc Sở trước ngày 30/11/2018.", { strict: true })).toBe("2018-11-30");
    expect(deadlineIn("Các đơn vị hoàn thành trong quý II/2020.", { strict: true })).toBe("2020-06-30");
  });

  it("rejects weaker wording ('đến ngày', 'đến hết năm')", () => {
    expect(deadlineIn("Số liệu tính đến ngày 31/12/2022.", { strict: true })).toBeNull();
    expect(deadlineIn("Duy trì từ nay đến hết năm 2023.", { strict: true })).toBeNull();
  });
});
