import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtractionSchema, type Extraction } from "../schemas/extraction.ts";
import { runExtract } from "../pipeline/cli/extract-command.ts";
import { formatTable, truncate } from "../pipeline/cli/format-table.ts";
import type { Progress } from "../pipeline/cli/progress.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin", "vanthu.mjs");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`node bin/vanthu.mjs ...`) from the project root, never rejecting on a non-zero exit. */
function vanthu(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024, env: { ...process.env, VANTHU_DEBUG: "" } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

const LETTER = `ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BẮC NINH                          Độc lập - Tự do - Hạnh phúc

Số: 1234/UBND-KT                 Bắc Ninh, ngày 15 tháng 3 năm 2024
V/v triển khai Kế hoạch số 56/KH-UBND

Kính gửi:
- Sở Tài chính;
- Sở Kế hoạch và Đầu tư.

Thực hiện Kế hoạch số 56/KH-UBND ngày 01/02/2024 của UBND tỉnh, Chủ tịch UBND tỉnh yêu cầu:
1. Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát kinh phí, báo cáo trước ngày 30/4/2024.
2. Sở Kế hoạch và Đầu tư tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 15/5/2024.

Nơi nhận:                                   KT. CHỦ TỊCH
- Như trên;                                  PHÓ CHỦ TỊCH
- Lưu: VT.
                                              Nguyễn Văn A
`;

/** Deterministic "random" bytes (xorshift32), so a failure is reproducible. */
function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

const stderrLines = (run: Run): string[] => run.stderr.split("\n").filter((line) => line.trim() !== "");

let dir: string;
let good: string;
let empty: string;
let binary: string;
let fakePdf: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "vanthu-cli-"));
  good = path.join(dir, "cong-van-1234.txt");
  empty = path.join(dir, "empty.txt");
  binary = path.join(dir, "noise.bin");
  fakePdf = path.join(dir, "scan.txt");
  await writeFile(good, LETTER, "utf8");
  await writeFile(empty, new Uint8Array(0));
  await writeFile(binary, pseudoRandomBytes(4096));
  await writeFile(fakePdf, "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1");
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("vanthu schema", () => {
  it("prints the extraction JSON Schema by default", async () => {
    const run = await vanthu("schema");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const schema = JSON.parse(run.stdout) as { properties?: Record<string, unknown> };
    expect(schema.properties?.document).toBeDefined();
    expect(schema.properties?.tasks).toBeDefined();
  });

  it.each([
    ["webhook", "oneOf"],
    ["config", "properties"],
  ])("prints the %s JSON Schema", async (name, key) => {
    const run = await vanthu("schema", name);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty(key);
  });

  it("exits 2 on an unknown schema name and lists the published ones", async () => {
    const run = await vanthu("schema", "nope");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("nope");
    expect(run.stderr).toContain("extraction");
  });
});

describe("vanthu --version and --help", () => {
  it("prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const run = await vanthu("--version");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it("documents the JSON Lines output of extract", async () => {
    const run = await vanthu("extract", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("JSON Lines");
    expect(run.stdout).toContain("--out");
  });

  it("exits 2 on a bad option value", async () => {
    const run = await vanthu("extract", good, "--format", "xml");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
  });
});

describe("vanthu extract --out", () => {
  it("writes the good letter, names each bad file with its code, and exits 1", async () => {
    const out = path.join(dir, "out-batch");
    const run = await vanthu("extract", empty, good, binary, fakePdf, "--out", out);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");

    const written = path.join(out, "cong-van-1234.json");
    const raw = await readFile(written, "utf8");
    expect(raw.endsWith("}\n")).toBe(true);
    const parsed = ExtractionSchema.safeParse(JSON.parse(raw));
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues)).toBe(true);
    expect(await readdir(out)).toEqual(["cong-van-1234.json"]);

    const lines = stderrLines(run);
    // One line per bad file, then the summary.
    expect(lines).toHaveLength(4);
    const lineFor = (file: string): string => lines.find((line) => line.includes(file)) ?? "";
    expect(lineFor(empty)).toMatch(/^vanthu: cannot read .*empty\.txt: empty_file: /);
    expect(lineFor(binary)).toMatch(/^vanthu: cannot read .*noise\.bin: unsupported_format: /);
    // Read by its content (a PDF header), not its .txt name: a PDF too broken to open.
    expect(lineFor(fakePdf)).toMatch(/^vanthu: cannot read .*scan\.txt: corrupt_file: /);
    expect(lines.at(-1)).toBe("1 extracted, 3 failed");
  });

  it("reports a missing file and a directory without stopping the others", async () => {
    const out = path.join(dir, "out-missing");
    const missing = path.join(dir, "does-not-exist.txt");
    const run = await vanthu("extract", missing, dir, good, "--out", out);

    expect(run.code).toBe(1);
    expect(existsSync(path.join(out, "cong-van-1234.json"))).toBe(true);
    const lines = stderrLines(run);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(missing);
    expect(lines[0]).toContain("not_found");
    expect(lines[1]).toContain(dir);
    expect(lines[1]).toContain("is_a_directory");
    expect(lines[2]).toBe("1 extracted, 2 failed");
  });

  it("exits 0 with no output on stdout or stderr when every file is extracted", async () => {
    const out = path.join(dir, "out-ok");
    const run = await vanthu("extract", good, "--out", out);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(existsSync(path.join(out, "cong-van-1234.json"))).toBe(true);
  });

  it("refuses to overwrite an output written earlier in the same run", async () => {
    const other = path.join(dir, "other");
    await mkdir(other, { recursive: true });
    const twin = path.join(other, "cong-van-1234.md");
    await writeFile(twin, LETTER, "utf8");
    const out = path.join(dir, "out-twins");

    const run = await vanthu("extract", good, twin, "--out", out);

    expect(run.code).toBe(1);
    const lines = stderrLines(run);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(twin);
    expect(lines[0]).toContain("duplicate_output");
    expect(lines[0]).toContain(good);
    expect(lines[1]).toBe("1 extracted, 1 failed");
    expect(await readdir(out)).toEqual(["cong-van-1234.json"]);
    const written = JSON.parse(await readFile(path.join(out, "cong-van-1234.json"), "utf8")) as Extraction;
    expect(written.provenance.source.fileName).toBe("cong-van-1234.txt");
  });
});

describe("vanthu extract to stdout", () => {
  it("prints one file's extraction as JSON", async () => {
    const run = await vanthu("extract", good);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(ExtractionSchema.safeParse(JSON.parse(run.stdout)).success).toBe(true);
  });

  it("prints several files as JSON Lines, skipping the failed ones", async () => {
    const run = await vanthu("extract", good, empty, good);
    expect(run.code).toBe(1);
    const records = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { file: string; extraction: unknown });
    expect(records.map((record) => record.file)).toEqual([good, good]);
    for (const record of records) expect(ExtractionSchema.safeParse(record.extraction).success).toBe(true);
    expect(stderrLines(run)).toEqual([expect.stringContaining("empty_file"), "2 extracted, 1 failed"]);
  });

  it("prints a table with the file name and the counts", async () => {
    const run = await vanthu("extract", good, "--format", "table");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(good);
    expect(run.stdout).toMatch(/counts\s+\d+ references?, \d+ tasks?/);
    expect(() => JSON.parse(run.stdout)).toThrow();
  });

  it("with --format table and --out, prints the table and still writes the JSON", async () => {
    const out = path.join(dir, "out-table");
    const run = await vanthu("extract", good, "--format", "table", "--out", out);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("tasks");
    expect(existsSync(path.join(out, "cong-van-1234.json"))).toBe(true);
  });
});

describe("runExtract in process", () => {
  it("routes failures through the progress display and counts every file", async () => {
    const events: string[] = [];
    const progress: Progress = {
      working: (file) => events.push(`working ${path.basename(file)}`),
      finished: () => events.push("finished"),
      log: (line) => events.push(`log ${line.includes("empty_file") ? "empty_file" : line}`),
      clear: () => events.push("clear"),
      stop: () => events.push("stop"),
    };
    let stdout = "";
    let stderr = "";
    let total = 0;
    const code = await runExtract([good, empty], {}, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      progress: (n) => ((total = n), progress),
    });

    expect(code).toBe(1);
    expect(total).toBe(2);
    expect(events).toEqual([
      "working cong-van-1234.txt",
      "clear",
      "finished",
      "working empty.txt",
      "log empty_file",
      "finished",
      "stop",
    ]);
    expect(stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toBe("1 extracted, 1 failed\n");
  });
});

describe("formatTable", () => {
  it("lists tasks with a cut text, assignees and deadline, and no control characters", () => {
    const extraction: Extraction = {
      document: {
        type: "cong_van",
        number: "1234",
        symbol: "UBND-KT",
        issuer: "Ủy ban nhân dân tỉnh Bắc Ninh",
        issuerParent: null,
        place: "Bắc Ninh",
        date: "2024-03-15",
        subject: "Triển khai kế hoạch\u001b[31m",
        recipients: [],
        signer: { name: null, title: null, authority: null },
        distribution: [],
      },
      references: [],
      tasks: [
        {
          ref: "1",
          text: "Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát kinh phí,\nbáo cáo trước ngày 30/4/2024.",
          assignees: ["Sở Tài chính"],
          collaborators: ["Sở Kế hoạch và Đầu tư"],
          deadline: "2024-04-30",
        },
        { ref: "", text: "Lưu", assignees: [], collaborators: [], deadline: null },
      ],
      provenance: {
        extractorVersion: "test",
        source: { format: "text", reader: "text", ocr: false, pages: 1, warnings: [] },
        fields: {},
      },
    };
    const table = formatTable("letters/cv.txt", extraction);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(table).toContain("1234/UBND-KT");
    expect(table).toContain("0 references, 2 tasks");
    const taskRow = table.split("\n").find((line) => line.trimStart().startsWith("1 ")) ?? "";
    expect(taskRow).toContain("Sở Tài chính");
    expect(taskRow).toContain("2024-04-30");
    expect(taskRow).toContain("…");
  });

  it("truncates by letters, keeping decomposed Vietnamese marks with their letter", () => {
    const decomposed = "Thực hiện".normalize("NFD");
    expect(truncate(decomposed, 4).normalize("NFC")).toBe("Thự…");
  });
});
