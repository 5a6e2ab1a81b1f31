/** edXML (QCVN 102:2016) packages: detection, parsing, the letter attachment, and comparison with an extraction. */
export { isEdxml, parseEdxml, isoDate, EdxmlError, type EdxmlPackage, type EdxmlFields, type EdxmlAttachment, type EdxmlOrgan, type EdxmlSigner } from "./parse.ts";
export { mainAttachment, kindOf, type MainAttachment, type AttachmentKind } from "./attachment.ts";
export { compareWithExtraction, normaliseText, type Disagreement } from "./compare.ts";
