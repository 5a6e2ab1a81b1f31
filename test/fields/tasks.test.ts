import { describe, expect, it } from "vitest";
import { extractFromText } from "../../extractors/extract.ts";
import { buildOutline, flatten, isMetadataLine } from "../../extractors/fields/outline.ts";
import { readPlainText } from "../../extractors/readers/text.ts";

const HEAD = `UBND TỈNH BÌNH ĐỊNH
SỞ CÔNG THƯƠNG
Số: 56/SCT-VP
V/v nâng cao chỉ số cải cách hành chính
Bình Định, ngày 12 tháng 4 năm 2021
Kính gửi: Các phòng chuyên môn thuộc Sở.
`;
const CLOSING = `
Nơi nhận:
- Như trên;
- Lưu: VT.
GIÁM ĐỐC
Nguyễn Văn An`;

const tasksOf = (body: string, head = HEAD) => extractFromText(head + body + CLOSING).tasks;
const brief = (body: string, head = HEAD) =>
  tasksOf(body, head).map((t) => ({ ref: t.ref, assignees: t.assignees, collaborators: t.collaborators, deadline: t.deadline }));

describe("outline refs", () => {
  const LADDER = `Để nâng cao chỉ số cải cách hành chính, Giám đốc Sở yêu cầu các phòng thực hiện các nội dung sau:
I. NHIỆM VỤ CHUNG
1. Tiếp tục quán triệt nội dung chỉ đạo của UBND tỉnh.
2. Rà soát thủ tục hành chính thuộc thẩm quyền.
II. NHIỆM VỤ CỤ THỂ
1. Văn phòng Sở:
- Theo dõi việc giải quyết hồ sơ đúng hạn.
- Phối hợp với các phòng chuyên môn rà soát quy trình nội bộ.
2. Phòng Quản lý thương mại:
a) Kiểm tra thị trường hàng hóa dịp Tết.
b) Tổng hợp báo cáo gửi Văn phòng Sở trước ngày 15/01/2022.
c) Phòng Kế hoạch Tài chính - Tổng hợp tiếp tục theo dõi, đôn đốc:
+ Rà soát dự toán ngân sách năm 2022.
+ Báo cáo quyết toán trước ngày 31/3/2022.
d) Theo dõi giá cả thị trường.
đ) Xử lý nghiêm các vi phạm về an toàn thực phẩm.
Giao Văn phòng Sở theo dõi, đôn đốc việc thực hiện, báo cáo Giám đốc Sở trước ngày 30/11/2021.`;

  it("numbers items along the ladder I. → 1. → a) (with đ)) → - / +, headings are not tasks", () => {
    expect(brief(LADDER)).toEqual([
      { ref: "I.1", assignees: ["Các phòng"], collaborators: [], deadline: null },
      { ref: "I.2", assignees: ["Các phòng"], collaborators: [], deadline: null },
      { ref: "II.1.-1", assignees: ["Văn phòng Sở"], collaborators: [], deadline: null },
      { ref: "II.1.-2", assignees: ["Văn phòng Sở"], collaborators: ["Các phòng chuyên môn"], deadline: null },
      { ref: "II.2.a)", assignees: ["Phòng Quản lý thương mại"], collaborators: [], deadline: null },
      { ref: "II.2.b)", assignees: ["Phòng Quản lý thương mại"], collaborators: [], deadline: "2022-01-15" },
      { ref: "II.2.c)+1", assignees: ["Phòng Kế hoạch Tài chính - Tổng hợp"], collaborators: [], deadline: null },
      { ref: "II.2.c)+2", assignees: ["Phòng Kế hoạch Tài chính - Tổng hợp"], collaborators: [], deadline: "2022-03-31" },
      { ref: "II.2.d)", assignees: ["Phòng Quản lý thương mại"], collaborators: [], deadline: null },
      { ref: "II.2.đ)", assignees: ["Phòng Quản lý thương mại"], collaborators: [], deadline: null },
      { ref: "", assignees: ["Văn phòng Sở"], collaborators: [], deadline: "2021-11-30" },
    ]);
  });

  it("keeps each item's text without its label, markup removed", () => {
    const tasks = tasksOf(LADDER);
    expect(tasks[0]!.text).toBe("Tiếp tục quán triệt nội dung chỉ đạo của UBND tỉnh.");
    expect(tasks[4]!.text).toBe("Kiểm tra thị trường hàng hóa dịp Tết.");
    expect(tasks.at(-1)!.text).toBe("Giao Văn phòng Sở theo dõi, đôn đốc việc thực hiện, báo cáo Giám đốc Sở trước ngày 30/11/2021.");
  });

  it("'1.c)-1': dash items under a letter under a number", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Phòng Quản lý công nghiệp:
a) Kiểm tra an toàn hóa chất.
b) Kiểm tra an toàn điện.
c) Về công tác khuyến công:
- Xây dựng kế hoạch khuyến công năm 2022.
- Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu.`;
    expect(tasksOf(body).map((t) => [t.ref, t.assignees])).toEqual([
      ["1.a)", ["Phòng Quản lý công nghiệp"]],
      ["1.b)", ["Phòng Quản lý công nghiệp"]],
      ["1.c)-1", ["Phòng Quản lý công nghiệp"]],
      ["1.c)-2", ["Phòng Quản lý công nghiệp"]],
    ]);
  });

  it("'1.1.' under '1.' replaces the parent's number", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Về cải cách thủ tục hành chính
1.1. Rà soát quy trình nội bộ giải quyết thủ tục hành chính.
1.2. Công khai thủ tục hành chính trên Cổng thông tin.
2. Tổ chức tập huấn nghiệp vụ cho công chức.`;
    expect(tasksOf(body).map((t) => t.ref)).toEqual(["1.1", "1.2", "2"]);
  });

  it("'(1)' items and a page break inside an item", () => {
    const body = `Lãnh đạo Sở yêu cầu Trưởng các phòng thuộc Sở thực hiện tốt các nhiệm vụ sau:
(1) Tiếp tục quán triệt đầy đủ các văn bản chỉ đạo về cải cách hành chính

\f
đến toàn thể công chức, người lao động.
(2) Nêu cao vai trò của người đứng đầu trong thực hiện nhiệm vụ.
(3) Giao Văn phòng Sở tổ chức thực hiện cơ chế một cửa.`;
    const tasks = tasksOf(body);
    expect(tasks.map((t) => [t.ref, t.assignees])).toEqual([
      ["(1)", ["Trưởng các phòng thuộc Sở"]],
      ["(2)", ["Trưởng các phòng thuộc Sở"]],
      ["(3)", ["Văn phòng Sở"]],
    ]);
    expect(tasks[0]!.text).toBe("Tiếp tục quán triệt đầy đủ các văn bản chỉ đạo về cải cách hành chính đến toàn thể công chức, người lao động.");
  });

  it("'1.4.' alone on a line takes the text on the next line", () => {
    const body = `Sở yêu cầu Văn phòng Sở thực hiện:
1.3. Rà soát quy trình nội bộ.
1.4.
Tổ chức tập huấn nghiệp vụ cho công chức.`;
    expect(tasksOf(body).map((t) => [t.ref, t.text])).toEqual([
      ["1.3", "Rà soát quy trình nội bộ."],
      ["1.4", "Tổ chức tập huấn nghiệp vụ cho công chức."],
    ]);
  });
});

describe("assignees", () => {
  it("a heading that only names an assignee gives it to its items and is not itself a task", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Văn phòng Sở:
- Theo dõi việc giải quyết hồ sơ đúng hạn.
- Cập nhật phần mềm một cửa điện tử.
2. Phòng Thanh tra:
- Kiểm tra việc thực hiện quy chế dân chủ.`;
    expect(brief(body).map((t) => [t.ref, t.assignees])).toEqual([
      ["1.-1", ["Văn phòng Sở"]],
      ["1.-2", ["Văn phòng Sở"]],
      ["2.-1", ["Phòng Thanh tra"]],
    ]);
  });

  it("'Các phòng: A, B, C' heading gives all of them", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Các phòng: Quản lý công nghiệp, Quản lý thương mại, Kế hoạch Tài chính.
- Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách.`;
    expect(brief(body)).toEqual([
      { ref: "1.-1", assignees: ["Quản lý công nghiệp", "Quản lý thương mại", "Kế hoạch Tài chính"], collaborators: [], deadline: null },
    ]);
  });

  it("the party at the start of the item wins over the heading", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Văn phòng Sở:
- Theo dõi việc giải quyết hồ sơ đúng hạn.
- Giao phòng Nội chính phối hợp với các cơ quan liên quan theo dõi.`;
    expect(brief(body)).toEqual([
      { ref: "1.-1", assignees: ["Văn phòng Sở"], collaborators: [], deadline: null },
      { ref: "1.-2", assignees: ["Phòng Nội chính"], collaborators: ["Các cơ quan liên quan"], deadline: null },
    ]);
  });

  it("'Giao X chủ trì, phối hợp với Y' → assignee X, collaborators Y", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Giao Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý công nghiệp và Phòng Kế hoạch Tài chính - Tổng hợp rà soát quy trình.
2. Sở Tài chính; Sở Xây dựng, Ban Dân tộc tỉnh và UBND các huyện có trách nhiệm hướng dẫn thanh quyết toán.`;
    expect(brief(body)).toEqual([
      { ref: "1", assignees: ["Văn phòng Sở"], collaborators: ["Phòng Quản lý công nghiệp", "Phòng Kế hoạch Tài chính - Tổng hợp"], deadline: null },
      { ref: "2", assignees: ["Sở Tài chính", "Sở Xây dựng", "Ban Dân tộc tỉnh", "UBND các huyện"], collaborators: [], deadline: null },
    ]);
  });

  it("'Đề nghị X:' at the start of an item", () => {
    const body = `UBND tỉnh yêu cầu các cơ quan thực hiện:
1. Đề nghị Liên đoàn Lao động tỉnh: chỉ đạo các cấp công đoàn tuyên truyền, vận động đoàn viên.`;
    expect(brief(body)[0]?.assignees).toEqual(["Liên đoàn Lao động tỉnh"]);
  });

  it("the lead-in sentence gives the default assignee", () => {
    const body = `Lãnh đạo Sở yêu cầu Trưởng các phòng thuộc Sở thực hiện tốt các nhiệm vụ sau:
1. Tiếp tục rà soát, đơn giản hóa thủ tục hành chính.
2. Đẩy mạnh ứng dụng công nghệ thông tin.`;
    expect(brief(body).map((t) => t.assignees)).toEqual([["Trưởng các phòng thuộc Sở"], ["Trưởng các phòng thuộc Sở"]]);
  });

  it("without a lead-in, a single Kính gửi recipient is the default assignee", () => {
    const body = `Sở Công Thương đề nghị như sau.
1. Tiếp tục rà soát, đơn giản hóa thủ tục hành chính.`;
    expect(brief(body)[0]?.assignees).toEqual(["Các phòng chuyên môn thuộc Sở"]);
  });

  it("'các tổ chức' at the start of an item is a noun (whole party)", () => {
    const body = `UBND tỉnh yêu cầu các cơ quan thực hiện:
1. Đề nghị Ủy ban MTTQ Việt Nam tỉnh, Tỉnh đoàn và các tổ chức chính trị - xã hội tuyên truyền, vận động nhân dân.`;
    expect(brief(body)[0]?.assignees).toEqual(["Ủy ban MTTQ Việt Nam tỉnh", "Tỉnh đoàn", "Các tổ chức chính trị - xã hội"]);
  });
});

describe("what is not a task", () => {
  it("items under a section heading (I. MỤC ĐÍCH, YÊU CẦU) are not tasks", () => {
    const body = `I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức về cải cách hành chính.
2. Bảo đảm thực hiện đồng bộ các giải pháp.
II. NHIỆM VỤ
1. Văn phòng Sở rà soát, đánh giá thủ tục hành chính.`;
    expect(brief(body).map((t) => t.ref)).toEqual(["II.1"]);
  });

  it("a section heading with items (I. Chỉ đạo chung:) is not a task", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
I. Chỉ đạo chung:
1. Văn phòng Sở rà soát thủ tục hành chính.
2. Phòng Thanh tra kiểm tra công vụ.`;
    expect(brief(body).map((t) => [t.ref, t.assignees])).toEqual([
      ["I.1", ["Văn phòng Sở"]],
      ["I.2", ["Phòng Thanh tra"]],
    ]);
  });

  it("an inline enumeration '(1) ...; (2) ...' in one paragraph stays one task", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Rà soát các nội dung sau: (1) cập nhật phần mềm một cửa; (2) công khai thủ tục hành chính; (3) báo cáo kết quả về Văn phòng Sở.
2. Tổ chức tập huấn nghiệp vụ cho công chức.`;
    const tasks = tasksOf(body);
    expect(tasks.map((t) => t.ref)).toEqual(["1", "2"]);
    expect(tasks[0]!.text).toBe("Rà soát các nội dung sau: (1) cập nhật phần mềm một cửa; (2) công khai thủ tục hành chính; (3) báo cáo kết quả về Văn phòng Sở.");
  });

  it("a list of achievements ('Đã ...') is not tasks", () => {
    const body = `Năm 2020, Sở đã đạt được các kết quả sau:
1. Đã hoàn thành 100% kế hoạch rà soát thủ tục hành chính.
2. Đã tổ chức 05 lớp tập huấn cho công chức.
3. Đã công khai đầy đủ thủ tục hành chính trên Cổng thông tin.`;
    expect(tasksOf(body)).toEqual([]);
  });

  it("a results section (II. KẾT QUẢ ĐẠT ĐƯỢC) is not tasks", () => {
    const body = `I. KẾT QUẢ ĐẠT ĐƯỢC
1. Chỉ số cải cách hành chính tăng 5 bậc so với năm trước.
2. Tỷ lệ hồ sơ giải quyết đúng hạn đạt 99%.
II. NHIỆM VỤ THỜI GIAN TỚI
1. Văn phòng Sở tiếp tục rà soát thủ tục hành chính.`;
    expect(tasksOf(body).map((t) => t.ref)).toEqual(["II.1"]);
  });

  it("narrative paragraphs (Căn cứ, Thực hiện, Trên đây) are not tasks", () => {
    const body = `Thực hiện Công văn số 70/UBND-NC ngày 05/01/2021 của UBND tỉnh về cải cách hành chính.

Căn cứ tình hình thực tế tại đơn vị.`;
    expect(tasksOf(body)).toEqual([]);
  });
});

describe("unnumbered paragraphs after the list", () => {
  it("a 'Giao ...' paragraph is a task with ref ''", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách.
2. Cập nhật phần mềm một cửa điện tử.

Giao Văn phòng Sở có trách nhiệm theo dõi, đôn đốc việc thực hiện, báo cáo Giám đốc Sở.`;
    const tasks = tasksOf(body);
    expect(tasks.map((t) => t.ref)).toEqual(["1", "2", ""]);
    expect(tasks[2]).toMatchObject({ ref: "", assignees: ["Văn phòng Sở"], collaborators: [], deadline: null });
    expect(tasks[2]!.text).toBe("Giao Văn phòng Sở có trách nhiệm theo dõi, đôn đốc việc thực hiện, báo cáo Giám đốc Sở.");
  });

  it("a paragraph with a deadline is a task with ref '' and the party it names", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách.

Nội dung kết quả đề xuất các Phòng chuyên môn gửi về Văn phòng Sở trước ngày 10/10/2018.`;
    const tasks = tasksOf(body);
    expect(tasks.at(-1)).toMatchObject({ ref: "", assignees: ["Các Phòng chuyên môn"], deadline: "2018-10-10" });
  });

  it("a closing courtesy paragraph is not a task", () => {
    const body = `Sở yêu cầu các phòng thực hiện:
1. Rà soát thủ tục hành chính thuộc lĩnh vực phụ trách.

Trên đây là nội dung chỉ đạo của Giám đốc Sở, đề nghị các phòng nghiêm túc thực hiện./.`;
    expect(tasksOf(body).map((t) => t.ref)).toEqual(["1"]);
  });
});

describe("Cơ quan thực hiện / Thời gian thực hiện lines", () => {
  const PLAN = `II. NHIỆM VỤ
1. Rà soát, đánh giá thủ tục hành chính.
- Cơ quan thực hiện: Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn.
- Thời gian thực hiện: Hoàn thành trong quý II/2021.
2. Tổ chức tập huấn nghiệp vụ cho công chức.
3. Kiểm tra công tác cải cách hành chính tại các đơn vị.
- Cơ quan thực hiện: Phòng Thanh tra chủ trì, phối hợp với Văn phòng Sở.
- Thời gian thực hiện: Năm 2021.`;

  it("set assignee, collaborators and deadline of the items they close; the lines are not tasks", () => {
    expect(brief(PLAN)).toEqual([
      { ref: "II.1", assignees: ["Văn phòng Sở"], collaborators: ["Các phòng chuyên môn"], deadline: "2021-06-30" },
      { ref: "II.2", assignees: ["Phòng Thanh tra"], collaborators: ["Văn phòng Sở"], deadline: null },
      { ref: "II.3", assignees: ["Phòng Thanh tra"], collaborators: ["Văn phòng Sở"], deadline: null },
    ]);
  });

  it("the metadata stays in the item's text", () => {
    const tasks = tasksOf(PLAN);
    expect(tasks[0]!.text).toContain("Rà soát, đánh giá thủ tục hành chính.");
    expect(tasks[0]!.text).toContain("Cơ quan thực hiện: Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn.");
  });

  it("isMetadataLine", () => {
    expect(isMetadataLine("Cơ quan thực hiện: Văn phòng Sở")).toBe(true);
    expect(isMetadataLine("Cơ quan chủ trì: Sở Nội vụ")).toBe(true);
    expect(isMetadataLine("Thời gian thực hiện: Năm 2025")).toBe(true);
    expect(isMetadataLine("Thời hạn hoàn thành: 30/6/2024")).toBe(true);
    expect(isMetadataLine("Kinh phí thực hiện: ngân sách tỉnh")).toBe(true);
    expect(isMetadataLine("Cơ quan hành chính các cấp thực hiện nghiêm")).toBe(false);
    expect(isMetadataLine("Thời gian qua, Sở đã triển khai")).toBe(false);
  });
});

describe("deadlines in tasks", () => {
  it.each([
    ["Báo cáo kết quả về Văn phòng Sở trước ngày 10/10/2018.", "2018-10-10"],
    ["Triển khai chuyển đổi số từ nay đến hết năm 2023.", "2023-12-31"],
    ["Số hóa hồ sơ, hoàn thành trong quý II/2020.", "2020-06-30"],
    ["Xây dựng cơ sở dữ liệu. Thời gian thực hiện: Năm 2025.", null],
    ["Tổ chức kiểm tra công vụ trong năm 2021.", null],
    ["Báo cáo tình hình trước ngày 20 hàng tháng.", null],
    ["Giải quyết phản ánh trong 05 ngày làm việc.", null],
    ["Tiếp tục triển khai Quyết định số 3113/QĐ-UBND ngày 31/10/2018 của UBND tỉnh.", null],
  ])("%j → %s", (item, deadline) => {
    const tasks = tasksOf(`Sở yêu cầu các phòng thực hiện:\n1. ${item}\n2. Tổ chức tập huấn nghiệp vụ cho công chức.`);
    expect(tasks[0]!.ref).toBe("1");
    expect(tasks[0]!.deadline).toBe(deadline);
  });
});

describe("deadline and party edge cases", () => {
  it("'Hoàn thành <việc> trong quý II/2020' → 2020-06-30", () => {
    const tasks = tasksOf("Sở yêu cầu các phòng thực hiện:\n1. Hoàn thành số hóa hồ sơ trong quý II/2020.\n2. Tổ chức tập huấn nghiệp vụ cho công chức.");
    expect(tasks[0]!.deadline).toBe("2020-06-30");
  });

  it("an item starting with 'Các tổ chức ...' names that whole party", () => {
    const tasks = tasksOf("UBND tỉnh yêu cầu các cơ quan thực hiện:\n1. Các tổ chức chính trị - xã hội tỉnh tích cực vận động hội viên tham gia.\n2. Sở Tài chính bố trí kinh phí.");
    expect(tasks[0]!.assignees).toEqual(["Các tổ chức chính trị - xã hội tỉnh"]);
  });
});

describe("buildOutline", () => {
  it("nests by the order styles first appear", () => {
    const model = readPlainText("I. NHIỆM VỤ\n1. Văn phòng Sở:\na) Rà soát hồ sơ.\n- Cập nhật phần mềm.\n2. Phòng Thanh tra:\nII. TỔ CHỨC THỰC HIỆN", { encoding: "utf-8" });
    const nodes = flatten(buildOutline(model.blocks));
    expect(nodes.map((n) => n.ref)).toEqual(["I", "I.1", "I.1.a)", "I.1.a)-1", "I.2", "II"]);
    expect(nodes[3]!.parent?.ref).toBe("I.1.a)");
  });
});

describe("sections that do not assign", () => {
  it("the places a decision's article lists are not tasks; the article that assigns is", async () => {
    const { extractFromText } = await import("../../extractors/index.ts");
    const out = extractFromText(
      "BAN CHỈ ĐẠO 138\nSố: 04/QĐ-BCĐ138\nQuảng Ngãi, ngày 10 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\nVề việc công nhận địa bàn trọng điểm\n\nĐiều 1. Công nhận địa bàn trọng điểm, phức tạp gồm:\n1. Phường Nghĩa Chánh, thành phố Quảng Ngãi;\n2. Xã Bình Sơn, huyện Bình Sơn.\n\nĐiều 2. Công an tỉnh chủ trì, phối hợp với các đơn vị triển khai thực hiện Quyết định này.",
    );
    expect(out.tasks.map((t) => t.ref)).toEqual(["Điều 2"]);
  });

  it("a funding section (KINH PHÍ THỰC HIỆN) is not tasks", async () => {
    const { extractFromText } = await import("../../extractors/index.ts");
    const out = extractFromText(
      "Số: 70/KH-UBND\nCần Thơ, ngày 12 tháng 3 năm 2025\n\nKẾ HOẠCH\nVề công tác dân vận\n\nI. NHIỆM VỤ\n1. Các sở, ngành tổ chức thực hiện tốt công tác dân vận.\n\nII. KINH PHÍ THỰC HIỆN\n1. Kinh phí thực hiện kế hoạch này được đảm bảo từ nguồn ngân sách nhà nước.",
    );
    expect(out.tasks.map((t) => t.ref)).toEqual(["I.1"]);
  });
});
