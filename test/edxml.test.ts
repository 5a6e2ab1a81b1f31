import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import type { DocumentFields } from "../schemas/extraction.ts";
import { EdxmlError, compareWithExtraction, isEdxml, isoDate, kindOf, mainAttachment, parseEdxml, type EdxmlFields } from "../pipeline/edxml/index.ts";

const NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const XLSX = Buffer.from("PK\u0003\u0004 not really a spreadsheet");
const b64 = (bytes: Uint8Array, width = 76) => (Buffer.from(bytes).toString("base64").match(new RegExp(`.{1,${width}}`, "g")) ?? []).join("\n");

interface Part {
  id: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A package as the national exchange (VDXP) carries it: envelope root, attachments in the body. */
function sampleEdxml(options: { attachments?: Part[]; prefix?: string; subject?: string; issuer?: string } = {}): string {
  const p = options.prefix ?? "edXML";
  const t = (name: string, value: string) => `<${p}:${name}>${value}</${p}:${name}>`;
  const attachments = options.attachments ?? [
    { id: "cid:annex", name: "Phu luc so lieu.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: XLSX },
    { id: "cid:main", name: "125-BTTTT-CĐSQG.pdf", type: "application/pdf", bytes: PDF },
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by the sending agency's document system -->
<${p}:edXMLEnvelope xmlns:${p}="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <${p}:edXMLHeader>
    <${p}:MessageHeader>
      <${p}:From>${t("OrganId", "000.00.00.G22")}${t("OrganInCharge", "Chính phủ")}${t("OrganName", options.issuer ?? "Bộ Thông tin và Truyền thông")}${t("OrganAdd", "18 Nguyễn Du, Hà Nội")}${t("Email", "vanthu@mic.gov.vn")}</${p}:From>
      <${p}:To>${t("OrganId", "000.00.00.H06")}${t("OrganName", "UBND tỉnh Bắc Ninh")}</${p}:To>
      <${p}:To>${t("OrganId", "000.00.00.H26")}${t("OrganName", "UBND tỉnh Hưng Yên")}</${p}:To>
      ${t("DocumentId", "000.00.00.G22,2024/03/15,125/BTTTT-CĐSQG")}
      <${p}:Code>${t("CodeNumber", "125")}${t("CodeNotation", "BTTTT-CĐSQG")}</${p}:Code>
      <${p}:PromulgationInfo>${t("Place", "Hà Nội")}${t("PromulgationDate", "2024/03/15")}</${p}:PromulgationInfo>
      <${p}:DocumentType>${t("Type", "1")}${t("TypeDetail", "0")}${t("TypeName", "Công văn")}</${p}:DocumentType>
      ${t("Subject", options.subject ?? "V/v triển khai Đề án 06 &amp; chuyển đổi số năm 2024")}
      ${t("Content", "Triển khai các nhiệm vụ chuyển đổi số")}
      <${p}:SignerInfo>${t("Competence", "KT. BỘ TRƯỞNG")}${t("Position", "THỨ TRƯỞNG")}${t("FullName", "Nguyễn Huy Dũng")}</${p}:SignerInfo>
      ${t("DueDate", "2024-04-30")}
      <${p}:ToPlaces>${t("Place", "Như trên")}</${p}:ToPlaces>
      <${p}:OtherInfo>${t("Priority", "0")}${t("SphereOfPromulgation", "Liên thông")}${t("PageAmount", "3")}</${p}:OtherInfo>
      ${t("SteeringType", "0")}
    </${p}:MessageHeader>
    <${p}:TraceHeaderList><${p}:TraceHeader>${t("OrganId", "000.00.00.G22")}${t("Timestamp", "2024/03/15 10:20:00")}</${p}:TraceHeader></${p}:TraceHeaderList>
  </${p}:edXMLHeader>
  <${p}:edXMLBody>
    <${p}:edXMLManifest version="1.0">
${attachments.map((a) => `      <${p}:Reference>${t("ContentId", a.id)}${t("ContentType", a.type)}${t("AttachmentName", a.name)}</${p}:Reference>`).join("\n")}
    </${p}:edXMLManifest>
    <${p}:AttachmentEncoded>
${attachments
  .map((a) => `      <${p}:Attachment>${t("ContentId", a.id)}${t("ContentType", a.type)}${t("AttachmentName", a.name)}${t("ContentTransferEncoded", `\n${b64(a.bytes)}\n`)}</${p}:Attachment>`)
  .join("\n")}
    </${p}:AttachmentEncoded>
  </${p}:edXMLBody>
</${p}:edXMLEnvelope>
`;
}

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

describe("isEdxml", () => {
  it("recognises an envelope by its root's local name, whatever the prefix, after a declaration, comments and a BOM", () => {
    expect(isEdxml(bytes(sampleEdxml()))).toBe(true);
    expect(isEdxml(bytes(sampleEdxml({ prefix: "ns2" })))).toBe(true);
    expect(isEdxml(bytes(`\uFEFF<edXMLEnvelope xmlns="${NS}"><edXMLHeader/></edXMLEnvelope>`))).toBe(true);
  });

  it("reads only the head, whatever character the cut falls in, and UTF-16 with a BOM", () => {
    const long = bytes(`<edXMLEnvelope xmlns="${NS}"><edXMLHeader><MessageHeader><Subject>${"ệ".repeat(2000)}</Subject></MessageHeader></edXMLHeader></edXMLEnvelope>`);
    expect(isEdxml(long)).toBe(true);
    expect(parseEdxml(long).fields.subject).toHaveLength(2000);
    const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sampleEdxml().replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")]));
    expect(isEdxml(utf16)).toBe(true);
    expect(parseEdxml(utf16).fields.issuer).toBe("Bộ Thông tin và Truyền thông");
  });

  it("says no to other XML, PDFs and text", () => {
    expect(isEdxml(bytes(`<?xml version="1.0"?><invoice><edXMLEnvelope/></invoice>`))).toBe(false);
    expect(isEdxml(PDF)).toBe(false);
    expect(isEdxml(bytes("Số: 125/BTTTT-CĐSQG"))).toBe(false);
    expect(isEdxml(new Uint8Array([0xff, 0xfe, 0xfd]))).toBe(false);
  });
});

describe("parseEdxml", () => {
  it("maps the MessageHeader to document fields", () => {
    const { fields } = parseEdxml(bytes(sampleEdxml()));
    expect(fields).toEqual({
      documentId: "000.00.00.G22,2024/03/15,125/BTTTT-CĐSQG",
      from: { id: "000.00.00.G22", name: "Bộ Thông tin và Truyền thông" },
      to: [
        { id: "000.00.00.H06", name: "UBND tỉnh Bắc Ninh" },
        { id: "000.00.00.H26", name: "UBND tỉnh Hưng Yên" },
      ],
      number: "125",
      symbol: "BTTTT-CĐSQG",
      issuer: "Bộ Thông tin và Truyền thông",
      place: "Hà Nội",
      date: "2024-03-15",
      type: "cong_van",
      typeName: "Công văn",
      subject: "triển khai Đề án 06 & chuyển đổi số năm 2024",
      signer: { name: "Nguyễn Huy Dũng", title: "THỨ TRƯỞNG", authority: "KT. BỘ TRƯỞNG" },
      dueDate: "2024-04-30",
    } satisfies EdxmlFields);
  });

  it("decodes every attachment's base64, with the manifest's names", () => {
    const { attachments } = parseEdxml(bytes(sampleEdxml()));
    expect(attachments.map((a) => [a.name, a.contentType, a.contentId])).toEqual([
      ["Phu luc so lieu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "cid:annex"],
      ["125-BTTTT-CĐSQG.pdf", "application/pdf", "cid:main"],
    ]);
    expect(Buffer.from(attachments[1]!.bytes).equals(PDF)).toBe(true);
  });

  it("reads a wrapped envelope with attachments after it, named by the manifest, zipped by the gateway", async () => {
    const zip = new JSZip();
    zip.file("0b9c.pdf", PDF);
    const zipped = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${NS}">
  <edXML:edXMLEnvelope xmlns:edXML="${NS}">
    <edXML:edXMLHeader><edXML:MessageHeader>
      <edXML:From><edXML:OrganId>vxp.saas.01</edXML:OrganId><edXML:OrganName>Sở Tài chính</edXML:OrganName></edXML:From>
      <edXML:Code><edXML:CodeNumber>07</edXML:CodeNumber><edXML:CodeNotation>QĐ-STC</edXML:CodeNotation></edXML:Code>
      <edXML:PromulgationInfo><edXML:Place>Bắc Ninh</edXML:Place><edXML:PromulgationDate>05/01/2025</edXML:PromulgationDate></edXML:PromulgationInfo>
      <edXML:Subject><![CDATA[Về việc ban hành quy chế <nội bộ>]]></edXML:Subject>
    </edXML:MessageHeader></edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>
      <edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>application/zip</edXML:ContentType><edXML:AttachmentName>quyet-dinh.zip</edXML:AttachmentName>
    </edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded><Attachment><ContentId>cid:1</ContentId>
    <edXML:ContentTransferEncoded xmlns:edXML="${NS}">${b64(zipped)}</edXML:ContentTransferEncoded>
  </Attachment></AttachmentEncoded>
</edXML>`;
    expect(isEdxml(bytes(xml))).toBe(true);
    const pkg = parseEdxml(bytes(xml));
    expect(pkg.fields).toMatchObject({ number: "07", symbol: "QĐ-STC", issuer: "Sở Tài chính", date: "2025-01-05", type: "quyet_dinh", subject: "ban hành quy chế <nội bộ>", signer: { name: null, title: null, authority: null }, to: [] });
    expect(pkg.attachments).toHaveLength(1);
    expect(pkg.attachments[0]).toMatchObject({ name: "quyet-dinh.zip", contentType: "application/zip" });
    const main = await mainAttachment(pkg.attachments);
    expect(main).toMatchObject({ name: "0b9c.pdf", kind: "pdf", mediaType: "application/pdf" });
    expect(Buffer.from(main!.bytes).equals(PDF)).toBe(true);
  });

  it("refuses a DTD or entity declaration before parsing (XXE, billion laughs)", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE edXMLEnvelope [<!ENTITY x SYSTEM "file:///etc/passwd">]><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>&x;</Subject></MessageHeader></edXMLHeader></edXMLEnvelope>`;
    expect(() => parseEdxml(bytes(xxe))).toThrow(EdxmlError);
    expect(() => parseEdxml(bytes(xxe))).toThrow(/DTD/);
  });

  it("names what is wrong with a broken package", () => {
    expect(() => parseEdxml(bytes(`<edXMLEnvelope><edXMLHeader><MessageHeader></edXMLHeader></edXMLEnvelope>`))).toThrow(/well-formed/);
    expect(() => parseEdxml(bytes(`<edXMLEnvelope><edXMLBody/></edXMLEnvelope>`))).toThrow(/no MessageHeader/);
    expect(() => parseEdxml(bytes(`<Invoice/>`))).toThrow(/not an edXML envelope/);
    const badBase64 = sampleEdxml().replace(b64(PDF), "%%% not base64 %%%");
    expect(() => parseEdxml(bytes(badBase64))).toThrow(/125-BTTTT-CĐSQG.pdf is not base64/);
  });

  it("decodes a declared legacy encoding", () => {
    const xml = `<?xml version="1.0" encoding="windows-1258"?><edXMLEnvelope><edXMLHeader><MessageHeader><Place>Ha Noi &#272;&#244;ng</Place><PromulgationInfo><Place>Hà</Place></PromulgationInfo></MessageHeader></edXMLHeader></edXMLEnvelope>`;
    const pkg = parseEdxml(new Uint8Array(Buffer.from(xml, "latin1")));
    expect(pkg.fields.place).toBe("Hà");
  });
});

describe("mainAttachment", () => {
  const part = (name: string, contentType: string | null, data: Uint8Array) => ({ name, contentType, contentId: null, description: null, bytes: data });

  it("takes the first PDF, Word or text attachment, skipping annexes", async () => {
    const main = await mainAttachment([part("annex.xlsx", null, XLSX), part("scan.png", "image/png", new Uint8Array([0x89, 0x50, 0x4e, 0x47])), part("letter.txt", "text/plain", bytes("Số: 1"))]);
    expect(main).toMatchObject({ name: "letter.txt", kind: "text", mediaType: "text/plain" });
  });

  it("falls back to a scanned image, and to nothing", async () => {
    expect(await mainAttachment([part("scan.jpg", null, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))])).toMatchObject({ kind: "image", mediaType: "image/jpeg" });
    expect(await mainAttachment([part("annex.xlsx", null, XLSX)])).toBeNull();
  });

  it("judges by content before the declared type", () => {
    expect(kindOf(PDF, "letter.doc", "application/msword")).toBe("pdf");
    expect(kindOf(XLSX, "letter.docx", null)).toBe("docx");
    expect(kindOf(XLSX, "data.xlsx", "application/zip")).toBeNull();
  });
});

describe("isoDate", () => {
  it("reads the date forms senders write", () => {
    expect(isoDate("2024-03-15")).toBe("2024-03-15");
    expect(isoDate("2024/3/5")).toBe("2024-03-05");
    expect(isoDate("15/03/2024")).toBe("2024-03-15");
    expect(isoDate("2024-03-15T08:00:00+07:00")).toBe("2024-03-15");
    expect(isoDate("2024/03/15 10:20:00")).toBe("2024-03-15");
    expect(isoDate("31/02/2024")).toBeNull();
    expect(isoDate("ngày 15 tháng 3")).toBeNull();
    expect(isoDate(null)).toBeNull();
  });
});

describe("compareWithExtraction", () => {
  const header = parseEdxml(bytes(sampleEdxml())).fields;
  const extracted: DocumentFields = {
    type: "cong_van",
    number: "125",
    symbol: "BTTTT - CĐSQG",
    issuer: "BỘ THÔNG TIN VÀ TRUYỀN THÔNG",
    issuerParent: null,
    place: "Hà Nội",
    date: "2024-03-15",
    subject: "Triển khai  Đề án 06 & chuyển đổi số năm 2024",
    recipients: ["UBND tỉnh Bắc Ninh"],
    signer: { name: "Nguyễn Huy Dũng", title: "Thứ trưởng", authority: "KT. Bộ trưởng" },
    distribution: [],
  };

  it("finds none when the values differ only in case, diacritics composition, spacing or V/v", () => {
    const decomposed = { ...extracted, place: "Hà Nội".normalize("NFD"), subject: `V/v ${extracted.subject}` };
    expect(compareWithExtraction(header, decomposed)).toEqual([]);
  });

  it("lists each disagreement with both values, a missing extracted value included", () => {
    const wrong = { ...extracted, number: "152", date: "2024-03-16", signer: { ...extracted.signer, name: null }, type: "thong_bao" as const };
    expect(compareWithExtraction(header, wrong)).toEqual([
      { field: "number", edxml: "125", extracted: "152" },
      { field: "date", edxml: "2024-03-15", extracted: "2024-03-16" },
      { field: "type", edxml: "cong_van", extracted: "thong_bao" },
      { field: "signer.name", edxml: "Nguyễn Huy Dũng", extracted: null },
    ]);
  });

  it("compares numbers without leading zeros and skips what the header does not state", () => {
    const sparse: EdxmlFields = { ...header, number: "05", place: null, signer: { name: null, title: null, authority: null }, type: "unknown" };
    expect(compareWithExtraction(sparse, { ...extracted, number: "5", place: "Đà Nẵng", signer: { name: "X", title: null, authority: null }, type: "luat" })).toEqual([]);
  });

  it("does not confuse letters that differ only by diacritics the folding removes, but does catch other words", () => {
    expect(compareWithExtraction({ ...header, issuer: "Sở Nội vụ" }, { ...extracted, issuer: "SỞ NỘI VỤ" })).toEqual([]);
    expect(compareWithExtraction({ ...header, issuer: "Sở Nội vụ" }, { ...extracted, issuer: "Sở Tư pháp" })).toEqual([{ field: "issuer", edxml: "Sở Nội vụ", extracted: "Sở Tư pháp" }]);
  });
});
