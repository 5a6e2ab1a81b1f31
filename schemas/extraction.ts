import { z } from "zod";

/**
 * The extraction: what vanthu reads from one letter. The fields named in
 * ../shared/spec/extraction-contract.md keep their names and meanings; vanthu
 * adds provenance (source span and confidence per field and per task) so a
 * reviewer can see where each value came from.
 */

export const DOCUMENT_TYPES = [
  "cong_van",
  "thong_bao",
  "ke_hoach",
  "quyet_dinh",
  "chi_thi",
  "nghi_quyet",
  "nghi_dinh",
  "thong_tu",
  "luat",
  "chuong_trinh",
  "bao_cao",
  "to_trinh",
  "huong_dan",
  "de_an",
  "ket_luan",
  "cong_dien",
  "quy_che",
  "quy_dinh",
  "phuong_an",
  "giay_moi",
  "unknown",
] as const;

export const DocumentTypeSchema = z.enum(DOCUMENT_TYPES).describe("Loại văn bản (ND 30/2020 Phụ lục III)");

/** ISO date, or year-month when the day was left blank for hand-filling. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/, "YYYY-MM-DD, or YYYY-MM when the day is blank");

export const SourceSpanSchema = z
  .object({
    page: z.number().int().min(1),
    line: z.number().int().min(0),
    start: z.number().int().min(0),
    end: z.number().int().min(0),
  })
  .describe("Page, line and character offsets in the normalised text the value came from");

export const SignerSchema = z.object({
  name: z.string().nullable(),
  title: z.string().nullable().describe("Chức vụ, sentence case: Phó Giám đốc"),
  authority: z.string().nullable().describe("Thẩm quyền ký: KT. Giám đốc, TM. Ủy ban nhân dân, TL., TUQ., Q."),
});

export const DocumentFieldsSchema = z.object({
  type: DocumentTypeSchema,
  number: z.string().nullable().describe("Số: the number before the slash; null when blank"),
  symbol: z.string().nullable().describe("Ký hiệu after the slash"),
  issuer: z.string().nullable().describe("Tên cơ quan ban hành (lowest level)"),
  issuerParent: z.string().nullable().describe("Tên cơ quan chủ quản"),
  place: z.string().nullable().describe("Địa danh of the date line"),
  date: IsoDateSchema.nullable(),
  subject: z.string().nullable().describe("Trích yếu, without V/v"),
  recipients: z.array(z.string()).describe("Kính gửi items"),
  signer: SignerSchema,
  distribution: z.array(z.string()).describe("Nơi nhận items"),
});

export const ReferenceSchema = z.object({
  kind: DocumentTypeSchema,
  number: z.string().describe("Number and symbol as written, spaces removed: 01-NQ/TU, 08/2018/NĐ-CP"),
  date: IsoDateSchema.nullable(),
  issuer: z.string().nullable(),
  span: SourceSpanSchema.optional(),
});

export const TaskSchema = z.object({
  ref: z.string().describe('Numbering path: "3", "(1)", "II.1.-2", "a)"; "" for an unnumbered paragraph'),
  text: z.string().describe("The whole item, page breaks joined, markup removed"),
  assignees: z.array(z.string()).describe("Who must do it (chủ trì)"),
  collaborators: z.array(z.string()).describe("Phối hợp parties"),
  deadline: IsoDateSchema.nullable().describe("Concrete completion date; null for recurring or none"),
  confidence: z.number().min(0).max(1).optional(),
  span: SourceSpanSchema.optional(),
});

export const FieldProvenanceSchema = z.object({
  confidence: z.number().min(0).max(1),
  span: SourceSpanSchema.nullable(),
});

export const SourceInfoSchema = z.object({
  fileName: z.string().optional(),
  format: z.enum(["text", "pdf", "docx", "image"]),
  reader: z.string(),
  encoding: z.string().optional(),
  ocr: z.boolean(),
  pages: z.number().int().min(0),
  warnings: z.array(z.string()),
  signatures: z
    .array(
      z.object({
        signer: z.string().nullable(),
        signedAt: z.string().nullable(),
        rect: z.array(z.number()),
        page: z.number().int().min(1),
      }),
    )
    .optional()
    .describe("Digital signatures (ký số): who signed and when"),
});

export const ExtractionSchema = z.object({
  document: DocumentFieldsSchema,
  references: z.array(ReferenceSchema),
  tasks: z.array(TaskSchema),
  provenance: z.object({
    extractorVersion: z.string(),
    source: SourceInfoSchema,
    fields: z.record(z.string(), FieldProvenanceSchema).describe("Per document field: confidence and source span"),
  }),
});

export type DocumentType = z.infer<typeof DocumentTypeSchema>;
export type SourceSpanValue = z.infer<typeof SourceSpanSchema>;
export type Signer = z.infer<typeof SignerSchema>;
export type DocumentFields = z.infer<typeof DocumentFieldsSchema>;
export type Reference = z.infer<typeof ReferenceSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type FieldProvenance = z.infer<typeof FieldProvenanceSchema>;
export type Extraction = z.infer<typeof ExtractionSchema>;
