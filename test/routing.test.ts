import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  createRouter,
  hasUnroutedParty,
  loadOrgDirectory,
  OrgDirectoryError,
  routingKey,
  type RouteResult,
} from "../pipeline/delivery/routing.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = JSON.parse(readFileSync(path.join(ROOT, "fixtures", "org-directory.example.json"), "utf8")) as unknown;
const router = createRouter(loadOrgDirectory(EXAMPLE));

/** A small directory written inline: [trackerId, name, ...aliases]. */
function routerOf(...units: [string, string, ...string[]][]) {
  return createRouter(loadOrgDirectory({ units: units.map(([trackerId, name, ...aliases]) => ({ trackerId, name, aliases })) }));
}

const pick = (r: RouteResult) => ({ trackerId: r.trackerId, reason: r.reason, confidence: r.confidence });

describe("exact alias", () => {
  it.each(["Văn phòng Sở", "van phong so", "VĂN PHÒNG SỞ", "vĂn PhÒng sỞ", "  Văn  phòng\tSở. ", "Văn phòng Sở".normalize("NFD")])(
    "%j → Văn phòng Sở, confidence 1",
    (party) => {
      expect(router.route(party)).toEqual({
        trackerId: "unit-vp",
        unit: "Văn phòng Sở",
        confidence: 1,
        reason: "alias",
        candidates: ["Văn phòng Sở"],
      });
    },
  );

  it("every name and alias in the example directory routes to its own unit", () => {
    const { units } = loadOrgDirectory(EXAMPLE);
    for (const unit of units) {
      for (const alias of [unit.name, ...unit.aliases]) {
        expect(pick(router.route(alias)), alias).toEqual({ trackerId: unit.trackerId, reason: "alias", confidence: 1 });
      }
    }
  });
});

describe("abbreviations and spelling variants", () => {
  it.each([
    ["VP Sở", "unit-vp"],
    ["vp sở", "unit-vp"],
    ["TT Tin học", "unit-tth"],
    ["P. Nội chính", "unit-nc"],
    ["P.KH-TC", "unit-khtc"],
    ["Phòng Kế hoạch – Tài chính", "unit-khtc"],
    ["UBND các huyện, thị xã, thành phố", "ext-ubnd-huyen"],
    ["Ủy ban nhân dân các huyện, thị xã, thành phố", "ext-ubnd-huyen"],
    ["Uỷ ban nhân dân các huyện, thị xã, thành phố", "ext-ubnd-huyen"],
    ["uy ban nhan dan tinh", "ext-ubnd-tinh"],
    ["Sở nội vụ", "ext-snv"],
  ])("%j → %s", (party, trackerId) => {
    expect(pick(router.route(party))).toEqual({ trackerId, reason: "alias", confidence: 1 });
  });

  it("normalises both sides to one key", () => {
    expect(routingKey("P. Kế hoạch – Tài chính")).toBe("phong ke hoach tai chinh");
    expect(routingKey("VP UBND tỉnh")).toBe(routingKey("Văn phòng Uỷ ban nhân dân Tỉnh"));
    // "TTr" (Thanh tra) is not "TT" (Trung tâm): only whole tokens are expanded.
    expect(routingKey("TTr Sở")).toBe("ttr so");
  });
});

describe("containment", () => {
  it("accepts a full alias inside a longer party, with lower confidence", () => {
    expect(pick(router.route("Phòng Nội chính tỉnh"))).toEqual({ trackerId: "unit-nc", reason: "alias", confidence: 0.8 });
  });

  it("prefers the longest contained alias", () => {
    // Contains "Văn phòng" (Văn phòng Sở), "UBND tỉnh" and "Văn phòng UBND tỉnh".
    expect(router.route("Văn phòng UBND tỉnh Quảng Nam").trackerId).toBe("ext-vp-ubnd");
    expect(router.route("UBND tỉnh Quảng Nam").trackerId).toBe("ext-ubnd-tinh");
  });

  it("matches on word boundaries only", () => {
    expect(router.route("Phòng Nội chínhh tỉnh").reason).toBe("no_match");
    expect(router.route("VPN Sở").reason).toBe("no_match");
  });
});

describe("leading verbs, plural marker and titles", () => {
  it.each([
    ["Giao Văn phòng Sở", "unit-vp", 0.95],
    ["Đề nghị Sở Nội vụ", "ext-snv", 0.95],
    ["Yêu cầu Phòng Hành chính - Tổ chức", "unit-hctc", 0.95],
    ["các sở, ban, ngành", "ext-sbn", 0.95],
    ["Trưởng phòng Đầu tư phát triển", "unit-dtpt", 0.9],
    ["Phó Trưởng phòng Nội chính", "unit-nc", 0.9],
    ["Chánh Thanh tra Sở", "unit-tt", 0.9],
    ["Phó Chánh Văn phòng Sở", "unit-vp", 0.9],
    ["Giám đốc Trung tâm Tin học", "unit-tth", 0.9],
    ["Lãnh đạo Phòng Kế hoạch - Tài chính", "unit-khtc", 0.9],
    ["Thủ trưởng các phòng, đơn vị", "group-units", 0.9],
    ["Đề nghị Giám đốc TT Tin học", "unit-tth", 0.9],
    ["Phó Giám đốc Sở", "unit-bgd", 0.9],
    ["Lãnh đạo Sở", "unit-bgd", 1], // an alias in its own right: nothing stripped
  ])("%j → %s (%d)", (party, trackerId, confidence) => {
    expect(pick(router.route(party))).toEqual({ trackerId, reason: "alias", confidence });
  });

  it('keeps "Các" when the full form is an alias, strips it only when that matches nothing', () => {
    const r = routerOf(["all", "Các phòng chuyên môn"], ["one", "Phòng chuyên môn"]);
    expect(pick(r.route("Các phòng chuyên môn"))).toEqual({ trackerId: "all", reason: "alias", confidence: 1 });
    expect(pick(r.route("Phòng chuyên môn"))).toEqual({ trackerId: "one", reason: "alias", confidence: 1 });
    expect(router.route("Các phòng, đơn vị").confidence).toBe(1);
    expect(router.route("Các chuyên viên").reason).toBe("no_match");
  });

  it("does not strip a title down to nothing", () => {
    expect(routerOf(["x", "Sở"]).route("Giám đốc").reason).toBe("no_match");
  });
});

describe("Văn phòng Sở vs Thanh tra Sở", () => {
  it("each routes to itself in every spelling", () => {
    for (const p of ["VP Sở", "Văn phòng Sở", "VAN PHONG SO", "Chánh Văn phòng Sở"]) expect(router.route(p).trackerId, p).toBe("unit-vp");
    for (const p of ["Thanh tra Sở", "TTr Sở", "THANH TRA SO", "Chánh Thanh tra Sở"]) expect(router.route(p).trackerId, p).toBe("unit-tt");
  });

  it("never falls back to the other when its own unit is missing", () => {
    expect(pick(routerOf(["unit-vp", "Văn phòng Sở", "VP Sở", "VP"]).route("Thanh tra Sở"))).toEqual({
      trackerId: null,
      reason: "no_match",
      confidence: 0,
    });
    expect(routerOf(["unit-tt", "Thanh tra Sở"]).route("VP Sở").trackerId).toBeNull();
  });

  it("a party naming both is ambiguous, not the one nearer by distance", () => {
    const r = router.route("Văn phòng Sở và Thanh tra Sở");
    expect(r).toMatchObject({ trackerId: null, unit: null, reason: "ambiguous", confidence: 0 });
    expect([...r.candidates].sort()).toEqual(["Thanh tra Sở", "Văn phòng Sở"]);
  });
});

describe("ties, ambiguity, no match", () => {
  it("breaks a tie on a shared alias by distance to the unit names, with lower confidence", () => {
    const units: [string, string, ...string[]][] = [
      ["unit-vp", "Văn phòng Sở", "Văn phòng"],
      ["ext-vp-ubnd", "Văn phòng Ủy ban nhân dân tỉnh", "Văn phòng"],
    ];
    for (const r of [routerOf(...units), routerOf(...[...units].reverse())]) {
      expect(r.route("Văn phòng")).toEqual({
        trackerId: "unit-vp",
        unit: "Văn phòng Sở",
        confidence: 0.8,
        reason: "alias+distance",
        candidates: ["Văn phòng Sở", "Văn phòng Ủy ban nhân dân tỉnh"],
      });
    }
  });

  it("stays ambiguous when distance cannot separate the tied units", () => {
    const r = routerOf(["to-1", "Tổ công tác 1", "Tổ công tác"], ["to-2", "Tổ công tác 2", "Tổ công tác"]);
    for (const party of ["Tổ công tác", "Tổ công tác của Sở"]) {
      const result = r.route(party);
      expect(result, party).toMatchObject({ trackerId: null, unit: null, confidence: 0, reason: "ambiguous" });
      expect([...result.candidates].sort()).toEqual(["Tổ công tác 1", "Tổ công tác 2"]);
    }
  });

  it.each(["Công an tỉnh", "Sở Giao thông vận tải", "Sở", "", " - "])("%j → no_match", (party) => {
    expect(router.route(party)).toEqual({ trackerId: null, unit: null, confidence: 0, reason: "no_match", candidates: [] });
  });
});

describe("routeParties / hasUnroutedParty", () => {
  it("routes each party and flags the reviewer when one is unrouted", () => {
    const routed = router.routeParties(["Chánh Văn phòng Sở", "Công an tỉnh"]);
    expect(routed).toEqual([
      { name: "Chánh Văn phòng Sở", trackerId: "unit-vp", unit: "Văn phòng Sở", reason: "alias" },
      { name: "Công an tỉnh", trackerId: null, unit: null, reason: "no_match" },
    ]);
    expect(hasUnroutedParty(routed)).toBe(true);
    expect(hasUnroutedParty(router.routeParties(["VP Sở", "Sở Nội vụ"]))).toBe(false);
    expect(hasUnroutedParty([])).toBe(false);
  });
});

describe("loadOrgDirectory", () => {
  it("defaults missing aliases", () => {
    expect(loadOrgDirectory({ units: [{ trackerId: "a", name: "Phòng A" }] }).units[0]!.aliases).toEqual([]);
  });

  it("lists every bad unit by index and name", () => {
    let error: unknown;
    try {
      loadOrgDirectory({
        units: [
          { trackerId: 5, name: "Phòng A" },
          { trackerId: "ok", name: "Phòng B", aliases: ["x"] },
          { name: "Phòng C", aliases: "VP" },
        ],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OrgDirectoryError);
    const { problems, message } = error as OrgDirectoryError;
    expect(problems.some((p) => p.startsWith('units[0] "Phòng A".trackerId:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('units[2] "Phòng C".trackerId:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('units[2] "Phòng C".aliases:'))).toBe(true);
    expect(problems.some((p) => p.includes("units[1]"))).toBe(false);
    expect(message).toContain('units[0] "Phòng A"');
  });

  it("rejects what the schema allows but routing cannot use", () => {
    expect(() =>
      loadOrgDirectory({
        units: [
          { trackerId: "a", name: "Phòng A", aliases: ["–"] },
          { trackerId: "a", name: "Phòng B" },
          { trackerId: " ", name: "Phòng C" },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'units[0] "Phòng A": alias "–" has no letters or digits',
          'units[1] "Phòng B": trackerId "a" is also used by units[0] "Phòng A"',
          'units[2] "Phòng C": trackerId is empty',
        ],
      }),
    );
  });

  it.each([null, [], { units: "x" }])("rejects a non-directory %j", (json) => {
    expect(() => loadOrgDirectory(json)).toThrow(OrgDirectoryError);
  });
});

describe("natural import", () => {
  /**
   * Imports a module in a fresh Node whose working directory holds a `.env`,
   * and reports what reached stdout and whether process.env changed.
   */
  async function probe(moduleUrl: string): Promise<{ stdout: string; envChanged: boolean; probe: string | undefined }> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "vanthu-routing-"));
    try {
      await writeFile(path.join(dir, ".env"), "VANTHU_ROUTING_PROBE=loaded\n");
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
      const script = [
        "const before = JSON.stringify(process.env);",
        `await import(${JSON.stringify(moduleUrl)});`,
        "process.stderr.write('\\n@@' + JSON.stringify({ envChanged: JSON.stringify(process.env) !== before, probe: process.env.VANTHU_ROUTING_PROBE }));",
      ].join("\n");
      const env = { ...process.env };
      delete env.VANTHU_ROUTING_PROBE;
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, ["--import", tsx, "--input-type=module", "-e", script], { cwd: dir, env }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr }),
        ),
      );
      return { stdout, ...(JSON.parse(stderr.slice(stderr.lastIndexOf("@@") + 2)) as { envChanged: boolean; probe?: string }) } as {
        stdout: string;
        envChanged: boolean;
        probe: string | undefined;
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it("importing the router prints nothing and leaves process.env alone", async () => {
    const result = await probe(pathToFileURL(path.join(ROOT, "pipeline", "delivery", "routing.ts")).href);
    expect(result).toEqual({ stdout: "", envChanged: false, probe: undefined });
  });

  it("the probe does catch natural's index (so the test above can fail)", async () => {
    const index = pathToFileURL(path.join(ROOT, "node_modules", "natural", "lib", "natural", "index.js")).href;
    const result = await probe(index);
    expect(result.stdout).not.toBe("");
    expect(result.envChanged).toBe(true);
    expect(result.probe).toBe("loaded");
  });
});
