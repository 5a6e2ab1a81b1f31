import { describe, expect, it } from "vitest";
import { extractFromText } from "../../extractors/extract.ts";
import { placesOnly } from "../../extractors/fields/places.ts";

/**
 * Which items of a plan or a decision are tasks, and whose: the rules added
 * for scanned letters (lists of places, describing sections of a plan, OCR
 * punctuation in a section's words, the "Cơ quan phối hợp:" line, steps,
 * opening clauses). Every letter here is written for the test.
 */
const PLAN_HEAD = `UBND TỈNH HÀ NAM
SỞ NỘI VỤ
Số: 21/KH-SNV
Hà Nam, ngày 3 tháng 4 năm 2024
KẾ HOẠCH
Tổ chức lấy ý kiến người dân về dịch vụ hành chính công năm 2024
`;
const DECISION_HEAD = `UBND TỈNH HÀ NAM
Số: 9/QĐ-UBND
Hà Nam, ngày 3 tháng 4 năm 2024
QUYẾT ĐỊNH
Về việc công nhận xã đạt chuẩn tiếp cận pháp luật năm 2023
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
QUYẾT ĐỊNH:
`;
const CLOSING = `
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
GIÁM ĐỐC
Trần Văn Bình`;

const tasksOf = (body: string, head = PLAN_HEAD) => extractFromText(head + body + CLOSING).tasks;

describe("lists of places", () => {
  it.each([
    "Phường Hòa Bình, thành phố Phủ Lý;",
    "Xã Thanh Sơn, huyện Kim Bảng.",
    "Thị trấn Vĩnh Trụ, huyện Lý Nhân và xã Nhân Chính, huyện Lý Nhân;",
  ])("%j names places only", (text) => expect(placesOnly(text)).toBe(true));

  it.each([
    "Phường Hòa Bình tổ chức hội nghị đối thoại;",
    "Xã Thanh Sơn, huyện Kim Bảng rà soát hồ sơ.",
    "Sở Tài chính, Sở Nội vụ;",
  ])("%j does more than name places", (text) => expect(placesOnly(text)).toBe(false));

  it("the localities an article enumerates are no tasks; the article that assigns is", () => {
    const body = `Điều 1. Ghi nhận kết quả tiếp cận pháp luật năm 2023 của 03 xã, phường sau:
1. Phường Hòa Bình, thành phố Phủ Lý;
2. Xã Thanh Sơn, huyện Kim Bảng;
3. Xã Nhân Chính, huyện Lý Nhân.
Điều 2. Chủ tịch UBND các xã, phường có tên tại Điều 1 tiếp tục duy trì kết quả đạt được.`;
    expect(tasksOf(body, DECISION_HEAD).map((t) => t.ref)).toEqual(["Điều 2"]);
  });
});

describe("sections of a plan that describe", () => {
  it("items under 'Đối tượng, phạm vi...' and 'Phương pháp' are no tasks; those under 'Tổ chức thực hiện' are", () => {
    const body = `1. Đối tượng, phạm vi và hình thức khảo sát
1.1. Đối tượng khảo sát
Người dân đến giao dịch tại Bộ phận Một cửa các cấp.
1.2. Hình thức khảo sát
Khảo sát được thực hiện bằng phiếu giấy và trên ứng dụng điện thoại.
2. Phương pháp chọn mẫu
- Mỗi xã chọn ngẫu nhiên 30 người dân theo danh sách giao dịch.
3. Tổ chức thực hiện
- Phòng Cải cách hành chính chủ trì triển khai khảo sát trước ngày 30/6/2024.`;
    expect(tasksOf(body).map((t) => [t.ref, t.assignees])).toEqual([["3.-1", ["Phòng Cải cách hành chính"]]]);
  });

  it("punctuation OCR puts inside a section's words does not hide the section ('Mục. đích')", () => {
    const body = `1. Mục. đích, yêu cầu
- Nâng cao chất lượng phục vụ người dân.
2. Tổ chức thực hiện
- Phòng Cải cách hành chính tổng hợp kết quả khảo sát.`;
    expect(tasksOf(body).map((t) => t.ref)).toEqual(["2.-1"]);
  });

  it("nor a decision's dispositive article ('Công, nhận')", () => {
    const body = `Điều 1. Công, nhận 02 xã đạt chuẩn tiếp cận pháp luật năm 2023, gồm:
1. Xã Thanh Sơn được khen thưởng theo quy định hiện hành của tỉnh.
2. Xã Nhân Chính được khen thưởng theo quy định hiện hành của tỉnh.
Điều 2. Sở Tư pháp hướng dẫn các xã duy trì kết quả.`;
    expect(tasksOf(body, DECISION_HEAD).map((t) => t.ref)).toEqual(["Điều 2"]);
  });
});

describe("whose task", () => {
  it("'Cơ quan phối hợp:' gives the collaborators, 'Cơ quan chủ trì:' the assignee", () => {
    const body = `1. Rà soát các thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh, cụ thể:
a) Cơ quan chủ trì: Sở Nội vụ;
b) Cơ quan phối hợp: Sở Tư pháp, các cơ quan, đơn vị, địa phương;
c) Thời gian thực hiện: Hoàn thành trước ngày 31 tháng 10 năm 2024.
2. Tổ chức đối thoại với người dân về thủ tục hành chính, cụ thể:
a) Cơ quan chủ trì: Văn phòng UBND tỉnh;
b) Thời gian thực hiện: Thường xuyên.`;
    expect(tasksOf(body).map((t) => [t.ref, t.assignees, t.collaborators, t.deadline])).toEqual([
      ["1", ["Sở Nội vụ"], ["Sở Tư pháp", "Các cơ quan, đơn vị, địa phương"], "2024-10-31"],
      ["2", ["Văn phòng UBND tỉnh"], [], null],
    ]);
  });

  it("a step of a procedure names its party after the step label ('Bước 2: Phòng ...')", () => {
    const body = `Sở Nội vụ ban hành quy trình khảo sát như sau:
1. Quy trình thực hiện
- Bước 1: Phòng Tổ chức cung cấp danh sách người dân đã giao dịch.
- Bước 2: Trung tâm Phục vụ hành chính công gửi phiếu khảo sát.`;
    expect(tasksOf(body).map((t) => t.assignees)).toEqual([["Phòng Tổ chức"], ["Trung tâm Phục vụ hành chính công"]]);
  });

  it("an item opening with a condition names its party after the clause", () => {
    const body = `Sở Nội vụ ban hành kế hoạch như sau:
1. Tổ chức thực hiện
- Phòng Cải cách hành chính theo dõi, đôn đốc việc thực hiện kế hoạch.
- Trong quá trình thực hiện, nếu có khó khăn, các đơn vị gửi ý kiến về Sở Nội vụ để tổng hợp.`;
    expect(tasksOf(body).map((t) => t.assignees)).toEqual([["Phòng Cải cách hành chính"], ["Các đơn vị"]]);
  });
});
