import { describe, expect, it } from "vitest";
import { assigneesAtStart, chairing, collaboratorsIn, dedupe, firstPartyIn, leadInParties, partyAt, splitParties, tidyParty } from "../../extractors/fields/parties.ts";

describe("partyAt", () => {
  it.each([
    ["Văn phòng Sở tổ chức hội nghị sơ kết.", "Văn phòng Sở"],
    ["Sở Tài chính chủ trì thẩm định.", "Sở Tài chính"],
    ["Trưởng các phòng thuộc Sở tiếp tục quán triệt.", "Trưởng các phòng thuộc Sở"],
    ["Các phòng chuyên môn có trách nhiệm báo cáo.", "Các phòng chuyên môn"],
    ["UBND các huyện, thị xã, thành phố chỉ đạo quyết liệt.", "UBND các huyện, thị xã, thành phố"],
    ["Lãnh đạo Sở thường xuyên kiểm tra.", "Lãnh đạo Sở"],
    ["Trung tâm Phục vụ hành chính công tỉnh: rà soát quy trình.", "Trung tâm Phục vụ hành chính công tỉnh"],
  ])("%j → %j", (text, phrase) => {
    expect(partyAt(text)?.phrase).toBe(phrase);
  });

  it("a capitalised word inside a name does not end it (Phòng Kế hoạch Tài chính - Tổng hợp)", () => {
    expect(partyAt("Phòng Kế hoạch Tài chính - Tổng hợp tiếp tục theo dõi, đôn đốc.")?.phrase).toBe("Phòng Kế hoạch Tài chính - Tổng hợp");
  });

  it("a lower-case predicate word ends the name ('tổng hợp' as a verb)", () => {
    expect(partyAt("Văn phòng Sở tổng hợp báo cáo gửi Giám đốc Sở.")?.phrase).toBe("Văn phòng Sở");
  });

  it.each([
    ["tiếp tục", "Phòng Quản lý thương mại tiếp tục kiểm tra thị trường."],
    ["có trách nhiệm", "Phòng Quản lý thương mại có trách nhiệm kiểm tra thị trường."],
    ["chủ trì", "Phòng Quản lý thương mại chủ trì kiểm tra thị trường."],
    ["phối hợp", "Phòng Quản lý thương mại phối hợp kiểm tra thị trường."],
    ["khẩn trương", "Phòng Quản lý thương mại khẩn trương kiểm tra thị trường."],
    ["a colon", "Phòng Quản lý thương mại: kiểm tra thị trường."],
    ["a parenthesis", "Phòng Quản lý thương mại (Đội quản lý thị trường) kiểm tra."],
  ])("the predicate %s ends the party", (_word, text) => {
    expect(partyAt(text)?.phrase).toBe("Phòng Quản lý thương mại");
  });

  it("the party may start after an offset", () => {
    const text = "Giao Văn phòng Sở theo dõi, đôn đốc.";
    expect(partyAt(text, 5)).toEqual({ phrase: "Văn phòng Sở", end: 17 });
  });

  it.each([
    "Tổ chức tập huấn cho cán bộ, công chức.",
    "Báo cáo kết quả về Sở trước ngày 10/10/2018.",
    "Ban hành quy chế làm việc của cơ quan.",
    "Trường hợp chậm trễ phải báo cáo rõ lý do.",
    "Phòng, chống tham nhũng, lãng phí.",
    "Bộ chỉ số cải cách hành chính được công bố.",
    "Các nội dung sau đây cần thực hiện ngay.",
    "Các nhiệm vụ trọng tâm năm 2024.",
    "Hội nghị tổng kết được tổ chức vào cuối năm.",
    "Cơ quan hành chính nhà nước các cấp.",
    "Tiếp tục rà soát thủ tục hành chính.",
    "thực hiện nghiêm túc",
  ])("no party starts %j", (text) => {
    expect(partyAt(text)).toBeNull();
  });

  it("'các tổ chức' is a noun, not the verb 'tổ chức'", () => {
    expect(partyAt("Các tổ chức chính trị - xã hội tỉnh tích cực vận động hội viên.")?.phrase).toBe("Các tổ chức chính trị - xã hội tỉnh");
  });

  it("a dash between words is not counted as a word of a long list (the cut fell inside 'chính trị - xã hội')", () => {
    const list = "Ủy ban MTTQ Việt Nam tỉnh, Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội biên phòng tỉnh, Tỉnh đoàn và các tổ chức chính trị - xã hội";
    expect(partyAt(`${list} phối hợp chặt chẽ với UBND huyện.`)?.phrase).toBe(list);
  });

  it("'các tổ chức' inside a list is a noun", () => {
    expect(assigneesAtStart("Đề nghị Ủy ban MTTQ Việt Nam tỉnh, Tỉnh đoàn và các tổ chức chính trị - xã hội tuyên truyền, vận động nhân dân.")).toEqual([
      "Ủy ban MTTQ Việt Nam tỉnh",
      "Tỉnh đoàn",
      "Các tổ chức chính trị - xã hội",
    ]);
  });
});

describe("splitParties", () => {
  it("splits on ';'", () => {
    expect(splitParties("Phòng Đầu tư phát triển; Phòng Thanh tra")).toEqual(["Phòng Đầu tư phát triển", "Phòng Thanh tra"]);
  });

  it("splits on ',' and 'và' before another body's head word", () => {
    expect(splitParties("Sở Tài chính, Sở Xây dựng và UBND các huyện")).toEqual(["Sở Tài chính", "Sở Xây dựng", "UBND các huyện"]);
  });

  it("keeps a name that contains commas and 'và' (Sở Văn hóa, Thể thao và Du lịch)", () => {
    expect(splitParties("Sở Văn hóa, Thể thao và Du lịch")).toEqual(["Sở Văn hóa, Thể thao và Du lịch"]);
    expect(splitParties("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế")).toEqual(["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]);
  });

  it("keeps a plural list of kinds of body as one party (Các phòng, ban, trung tâm)", () => {
    expect(splitParties("Các phòng, ban, trung tâm thuộc Văn phòng")).toEqual(["Các phòng, ban, trung tâm thuộc Văn phòng"]);
  });

  it("keeps 'Sở Kế hoạch và Đầu tư' whole", () => {
    expect(splitParties("Sở Kế hoạch và Đầu tư và Sở Tài chính")).toEqual(["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]);
  });

  it("'Các phòng: A, B, C' lists the parties after the colon", () => {
    expect(splitParties("Các phòng: Kế hoạch, Tổng hợp, Đăng ký kinh doanh")).toEqual(["Kế hoạch", "Tổng hợp", "Đăng ký kinh doanh"]);
  });

  it("in a colon list, a lower-case piece after a comma belongs to the previous name", () => {
    expect(splitParties("Các phòng: Đấu thầu, thẩm định, Tổng hợp")).toEqual(["Đấu thầu, thẩm định", "Tổng hợp"]);
  });

  it("tidies: capitalises and drops a leading 'và'/'với' and trailing punctuation", () => {
    expect(tidyParty("và các phòng chuyên môn;")).toBe("Các phòng chuyên môn");
    expect(tidyParty("với Sở Nội vụ.")).toBe("Sở Nội vụ");
  });

  it("dedupe ignores case and diacritic variants", () => {
    expect(dedupe(["Văn phòng Sở", "văn phòng sở", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh", "Sở Y tế"])).toEqual([
      "Văn phòng Sở",
      "Ủy ban nhân dân tỉnh",
      "Sở Y tế",
    ]);
  });
});

describe("assigneesAtStart", () => {
  it("'Giao X chủ trì, phối hợp với Y' → assignee X", () => {
    expect(assigneesAtStart("Giao Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý công nghiệp triển khai thực hiện.")).toEqual(["Văn phòng Sở"]);
  });

  it("'Giao phòng X phối hợp ...' capitalises the party", () => {
    expect(assigneesAtStart("Giao phòng Nội chính phối hợp với các cơ quan liên quan theo dõi.")).toEqual(["Phòng Nội chính"]);
  });

  it("'Giao trách nhiệm cho X ...'", () => {
    expect(assigneesAtStart("Giao trách nhiệm cho Văn phòng Sở theo dõi, kiểm tra.")).toEqual(["Văn phòng Sở"]);
  });

  it("'Đề nghị X:' → X", () => {
    expect(assigneesAtStart("Đề nghị Liên đoàn Lao động tỉnh: chỉ đạo các cấp công đoàn tuyên truyền.")).toEqual(["Liên đoàn Lao động tỉnh"]);
  });

  it("a list before the predicate, split on ';' and before another head word", () => {
    expect(assigneesAtStart("Sở Tài chính; Sở Xây dựng, Ban Dân tộc tỉnh và UBND các huyện có trách nhiệm hướng dẫn.")).toEqual([
      "Sở Tài chính",
      "Sở Xây dựng",
      "Ban Dân tộc tỉnh",
      "UBND các huyện",
    ]);
  });

  it("a name with commas (Sở Văn hóa, Thể thao và Du lịch) is one assignee", () => {
    expect(assigneesAtStart("Sở Văn hóa, Thể thao và Du lịch chủ trì tổ chức các hoạt động.")).toEqual(["Sở Văn hóa, Thể thao và Du lịch"]);
  });

  it("'Các phòng, ban, trung tâm ...' is one assignee", () => {
    expect(assigneesAtStart("Các phòng, ban, trung tâm thuộc Văn phòng tiếp tục thực hiện nghiêm.")).toEqual(["Các phòng, ban, trung tâm thuộc Văn phòng"]);
  });

  it("a topic before a colon is skipped (Về ...: Giao X ...)", () => {
    expect(assigneesAtStart("Về giải quyết hồ sơ: Giao Trưởng phòng có trách nhiệm theo dõi, xử lý.")).toEqual(["Trưởng phòng"]);
  });

  it("the party that 'chủ trì' later in the sentence", () => {
    expect(assigneesAtStart("Trên cơ sở đề xuất của các đơn vị, Sở Tài chính chủ trì, phối hợp với Sở Xây dựng tham mưu.")).toEqual(["Sở Tài chính"]);
    expect(chairing("Căn cứ kết quả rà soát, Sở Nội vụ chủ trì tổng hợp.")).toEqual(["Sở Nội vụ"]);
  });

  it("an item that starts with a verb names no assignee", () => {
    expect(assigneesAtStart("Tiếp tục rà soát, đơn giản hóa thủ tục hành chính.")).toEqual([]);
    expect(assigneesAtStart("Tổ chức tập huấn nghiệp vụ cho công chức.")).toEqual([]);
  });
});

describe("collaboratorsIn", () => {
  it("'phối hợp với Y'", () => {
    expect(collaboratorsIn("Giao Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý công nghiệp triển khai thực hiện.")).toEqual(["Phòng Quản lý công nghiệp"]);
  });

  it("several collaborators, with a capitalised word inside a name", () => {
    expect(collaboratorsIn("Văn phòng Sở chủ trì, phối hợp với Phòng Quản lý công nghiệp và Phòng Kế hoạch Tài chính - Tổng hợp triển khai.")).toEqual([
      "Phòng Quản lý công nghiệp",
      "Phòng Kế hoạch Tài chính - Tổng hợp",
    ]);
  });

  it("'phối hợp Y' without 'với' and 'phối hợp chặt chẽ với Y'", () => {
    expect(collaboratorsIn("Phối hợp Văn phòng sở rà soát thủ tục hành chính.")).toEqual(["Văn phòng sở"]);
    expect(collaboratorsIn("Phối hợp chặt chẽ với Ủy ban MTTQ Việt Nam tỉnh trong vận động.")).toEqual(["Ủy ban MTTQ Việt Nam tỉnh"]);
  });

  it("a lower-case plural party is capitalised", () => {
    expect(collaboratorsIn("Giao phòng Nội chính phối hợp với các cơ quan liên quan theo dõi.")).toEqual(["Các cơ quan liên quan"]);
  });

  it("'phối hợp với các Sở: A, B, C' lists the bodies after the colon", () => {
    const out = collaboratorsIn("Phối hợp với các Sở: Tài chính, Kế hoạch và Đầu tư, Xây dựng thẩm định hồ sơ.");
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/Tài chính$/u);
    expect(out[1]).toMatch(/Kế hoạch và Đầu tư$/u);
    expect(out[2]).toMatch(/Xây dựng$/u);
  });

  it("no 'phối hợp': none", () => {
    expect(collaboratorsIn("Văn phòng Sở theo dõi, đôn đốc việc thực hiện.")).toEqual([]);
  });

  it("'phối hợp' followed by a verb names nobody", () => {
    expect(collaboratorsIn("Tăng cường phối hợp thực hiện các nhiệm vụ.")).toEqual([]);
  });
});

describe("lead-in and first party", () => {
  it("the party a lead-in sentence hands the list to", () => {
    expect(leadInParties("Lãnh đạo Sở yêu cầu Trưởng các phòng thuộc Sở thực hiện tốt các nhiệm vụ sau:")).toEqual(["Trưởng các phòng thuộc Sở"]);
    expect(leadInParties("Để nâng cao chỉ số, Giám đốc Sở yêu cầu các phòng, đơn vị thực hiện các nội dung sau:")).toEqual(["Các phòng, đơn vị"]);
  });

  it("a lead-in that starts with its party", () => {
    expect(leadInParties("Các phòng chuyên môn thực hiện các nội dung sau:")).toEqual(["Các phòng chuyên môn"]);
  });

  it("firstPartyIn finds a party inside a sentence, not at its start", () => {
    expect(firstPartyIn("Nội dung kết quả đề xuất các Phòng chuyên môn gửi về Văn phòng Sở.")).toEqual(["Các Phòng chuyên môn"]);
    expect(firstPartyIn("Nội dung này cần được thực hiện ngay.")).toEqual([]);
  });
});

describe("party lists of a decision's last article", () => {
  it("'công lập' is part of a name, not the verb 'lập'", () => {
    expect(assigneesAtStart("Thủ trưởng các đơn vị sự nghiệp công lập thuộc tỉnh nghiêm túc thực hiện.")).toEqual([
      "Thủ trưởng các đơn vị sự nghiệp công lập thuộc tỉnh",
    ]);
  });

  it("'Cấp ủy' opens a party", () => {
    expect(assigneesAtStart("Cấp ủy, chính quyền các cấp tiếp tục quán triệt nghị quyết.")[0]).toBe("Cấp ủy, chính quyền các cấp");
  });

  it("a semicolon ends a party, so a long list is read party by party ('thành viên ...' too)", () => {
    const text =
      "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tư pháp; thành viên Ban Chỉ đạo cải cách hành chính tỉnh; thành viên Hội đồng thi đua, khen thưởng của tỉnh; Chủ tịch UBND các xã có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.";
    expect(assigneesAtStart(text)).toEqual([
      "Chánh Văn phòng UBND tỉnh",
      "Giám đốc Sở Tư pháp",
      "Thành viên Ban Chỉ đạo cải cách hành chính tỉnh",
      "Thành viên Hội đồng thi đua, khen thưởng của tỉnh",
      "Chủ tịch UBND các xã có tên tại Điều 1",
    ]);
  });

  it("a colon after a plural group introduces its members ('các huyện: A, B và C')", () => {
    expect(assigneesAtStart("Chủ tịch UBND các huyện: Kim Bảng, Lý Nhân và thị xã Duy Tiên chịu trách nhiệm thi hành.")).toEqual([
      "Kim Bảng",
      "Lý Nhân và thị xã Duy Tiên",
    ]);
  });
});
