import { ReadError } from "../errors.ts";

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as: "utf-8", "utf-16le", "utf-16be", "windows-1258", ... */
  encoding: string;
  warnings: string[];
}

/** Placeholder: UTF-8 only. Being replaced by the full decoder (UTF-16 BOM, Windows-1258, TCVN3). */
export function decodeText(bytes: Uint8Array, fileName?: string): DecodedText {
  if (bytes.length === 0) throw new ReadError("empty_file", "the file is empty (0 bytes)", fileName);
  return { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8", warnings: [] };
}
