/**
 * Routing: turns a party as the letter names it ("Chánh Văn phòng Sở",
 * "UBND các huyện, thị xã, thành phố") into the tracker id of a unit in the
 * org directory.
 *
 * The alias table decides; a string distance never does on its own. Distances
 * cannot tell "VP Sở" from "Thanh tra Sở" (same suffix, similar length), so a
 * party that names no alias is left unrouted for the reviewer rather than
 * guessed. Distance only breaks a tie between units that matched the SAME
 * alias text equally well.
 */
// Subpath import on purpose: natural's index loads `.env` into process.env,
// prints to stdout and pulls in database clients. This file requires nothing.
import JaroWinklerDistance from "natural/lib/natural/distance/jaro-winkler_distance.js";
import { fold } from "../../extractors/text/normalize.ts";
import { OrgDirectorySchema, type OrgDirectory } from "../../schemas/webhook.ts";

export type { OrgDirectory };

export type RouteReason = "alias" | "alias+distance" | "ambiguous" | "no_match";

export interface RouteResult {
  trackerId: string | null;
  /** The unit's name as the directory spells it. */
  unit: string | null;
  /** 1 exact alias; lower for a stripped prefix/title or containment; lower again when distance broke a tie; 0 when unrouted. */
  confidence: number;
  reason: RouteReason;
  /** Names of the units that matched at the deciding step, best first ([] for no_match). */
  candidates: string[];
}

export interface RoutedParty {
  name: string;
  trackerId: string | null;
  unit: string | null;
  reason: RouteReason;
}

export interface Router {
  route(party: string): RouteResult;
  routeParties(parties: string[]): RoutedParty[];
}

const CONFIDENCE = {
  exact: 1,
  /** A leading "Giao", "Đề nghị", "Yêu cầu" or plural "Các" was dropped. */
  prefixStripped: 0.95,
  /** A leading title (the unit's head) was dropped: the task goes to the unit. */
  titleStripped: 0.9,
  /** A full alias appears inside a longer party ("Phòng Nội chính tỉnh"). */
  contained: 0.8,
} as const;
/** Multiplier when a string distance had to pick between units. */
const TIE_BROKEN = 0.8;
/** Jaro–Winkler gap under which two tied units stay ambiguous. */
const TIE_MARGIN = 0.03;

// ---------------------------------------------------------------------------
// Normalisation: fold diacritics and case, treat punctuation as spaces, and
// spell out the usual abbreviations, so "P. KH-TC", "phòng kh tc" and
// "Phòng KH – TC" are the same key. Directory aliases go through the same
// function, so both sides always agree.

const ABBREVIATIONS: Record<string, string[]> = {
  vp: ["van", "phong"],
  tt: ["trung", "tam"],
  p: ["phong"],
  // fold() already makes "Ủy" and "Uỷ" the same "uy".
  ubnd: ["uy", "ban", "nhan", "dan"],
};

function tokens(text: string): string[] {
  const out: string[] = [];
  // \p{M}: a stray combining mark (non-NFC input) belongs to its word, not a separator.
  for (const word of text.normalize("NFC").split(/[^\p{L}\p{M}\p{N}]+/u)) {
    const folded = fold(word).replace(/\p{M}/gu, "");
    if (!folded) continue;
    const expansion = ABBREVIATIONS[folded];
    if (expansion) out.push(...expansion);
    else out.push(folded);
  }
  return out;
}

/** The comparison key of a party or alias ("" when it has no letters or digits). */
export function routingKey(text: string): string {
  return tokens(text).join(" ");
}

// Leading words that are not part of the unit's name. Only one rule can match
// at a position (their first words differ), so stripping is a simple chain.
const PREFIXES: { words: string[]; kind: "prefix" | "title" }[] = [
  ...["giao", "de nghi", "yeu cau", "cac"].map((w) => ({ words: w.split(" "), kind: "prefix" as const })),
  ...["thu truong", "lanh dao", "giam doc", "truong", "pho", "chanh"].map((w) => ({
    words: w.split(" "),
    kind: "title" as const,
  })),
];

/**
 * The party, then the party with one more leading verb/plural/title dropped,
 * and so on. Trying them in order means "Các" (or a title) is dropped only
 * when the longer form matched nothing: "Các phòng, đơn vị" stays itself.
 */
function strippedForms(toks: string[]): { toks: string[]; confidence: number }[] {
  const forms = [{ toks, confidence: CONFIDENCE.exact as number }];
  let current = toks;
  let confidence: number = CONFIDENCE.exact;
  for (;;) {
    const rule = PREFIXES.find((p) => p.words.length < current.length && p.words.every((w, i) => current[i] === w));
    if (!rule) return forms;
    current = current.slice(rule.words.length);
    confidence = Math.min(confidence, rule.kind === "title" ? CONFIDENCE.titleStripped : CONFIDENCE.prefixStripped);
    forms.push({ toks: current, confidence });
  }
}

// ---------------------------------------------------------------------------
// Directory loading.

export class OrgDirectoryError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid org directory:\n  - ${problems.join("\n  - ")}`);
    this.name = "OrgDirectoryError";
  }
}

/** Validates a parsed JSON directory; throws OrgDirectoryError naming every bad unit. */
export function loadOrgDirectory(json: unknown): OrgDirectory {
  const rawUnits = (json as { units?: unknown } | null)?.units;
  const label = (i: number): string => {
    const name = Array.isArray(rawUnits) ? (rawUnits[i] as { name?: unknown } | null)?.name : undefined;
    return typeof name === "string" ? `units[${i}] "${name}"` : `units[${i}]`;
  };

  const parsed = OrgDirectorySchema.safeParse(json);
  if (!parsed.success) {
    throw new OrgDirectoryError(
      parsed.error.issues.map((issue) => {
        const [head, index, ...rest] = issue.path;
        const where =
          head === "units" && typeof index === "number"
            ? [label(index), ...rest.map(String)].join(".")
            : issue.path.map(String).join(".") || "(root)";
        return `${where}: ${issue.message}`;
      }),
    );
  }

  // Things the schema cannot see but that would make routing silently wrong.
  const problems: string[] = [];
  const owner = new Map<string, number>();
  parsed.data.units.forEach((unit, i) => {
    if (!unit.trackerId.trim()) problems.push(`${label(i)}: trackerId is empty`);
    const previous = owner.get(unit.trackerId);
    if (previous !== undefined) problems.push(`${label(i)}: trackerId "${unit.trackerId}" is also used by ${label(previous)}`);
    else owner.set(unit.trackerId, i);
    // An empty key would be "contained" in every party.
    for (const alias of [unit.name, ...unit.aliases]) {
      if (!routingKey(alias)) problems.push(`${label(i)}: alias "${alias}" has no letters or digits`);
    }
  });
  if (problems.length) throw new OrgDirectoryError(problems);
  return parsed.data;
}

// ---------------------------------------------------------------------------
// Routing.

interface Alias {
  unit: number;
  toks: string[];
}

export function createRouter(directory: OrgDirectory): Router {
  const units = directory.units;
  const nameKeys = units.map((u) => routingKey(u.name));
  const exact = new Map<string, number[]>();
  const aliases: Alias[] = [];
  units.forEach((unit, i) => {
    for (const alias of [unit.name, ...unit.aliases]) {
      const toks = tokens(alias);
      const key = toks.join(" ");
      if (!key) continue;
      const owners = exact.get(key) ?? [];
      if (owners.includes(i)) continue; // "VP" and "Văn phòng" are one key
      owners.push(i);
      exact.set(key, owners);
      aliases.push({ unit: i, toks });
    }
  });

  const noMatch: RouteResult = { trackerId: null, unit: null, confidence: 0, reason: "no_match", candidates: [] };
  const routed = (unit: number, confidence: number, reason: RouteReason, candidates: number[]): RouteResult => ({
    trackerId: units[unit]!.trackerId,
    unit: units[unit]!.name,
    confidence,
    reason,
    candidates: candidates.map((u) => units[u]!.name),
  });
  const ambiguous = (candidates: number[]): RouteResult => ({
    ...noMatch,
    reason: "ambiguous",
    candidates: candidates.map((u) => units[u]!.name),
  });

  /**
   * Several units matched equally: the unit whose name is nearest to the party
   * wins, but only by a clear margin. Returns the units best first.
   */
  function rank(tied: number[], probe: string): { winner: number | null; order: number[] } {
    if (tied.length === 1) return { winner: tied[0]!, order: tied };
    const scored = tied
      .map((unit) => ({ unit, score: JaroWinklerDistance(probe, nameKeys[unit]!) }))
      .sort((a, b) => b.score - a.score);
    const order = scored.map((s) => s.unit);
    return { winner: scored[0]!.score - scored[1]!.score < TIE_MARGIN ? null : order[0]!, order };
  }

  function decide(tied: number[], probe: string, confidence: number): RouteResult {
    const { winner, order } = rank(tied, probe);
    if (winner === null) return ambiguous(order);
    if (tied.length === 1) return routed(winner, confidence, "alias", order);
    return routed(winner, confidence * TIE_BROKEN, "alias+distance", order);
  }

  function route(party: string): RouteResult {
    const toks = tokens(party);
    if (!toks.length) return noMatch;

    // 1. Exact alias, on the party and then on its prefix/title-stripped forms.
    for (const form of strippedForms(toks)) {
      const key = form.toks.join(" ");
      const owners = exact.get(key);
      if (owners) return decide(owners, key, form.confidence);
    }

    // 2. A full alias inside the party, on word boundaries; the longest wins.
    const found: { unit: number; start: number; end: number }[] = [];
    for (const alias of aliases) {
      const n = alias.toks.length;
      for (let start = 0; start + n <= toks.length; start++) {
        if (alias.toks.every((t, i) => toks[start + i] === t)) found.push({ unit: alias.unit, start, end: start + n });
      }
    }
    if (!found.length) return noMatch;
    const longest = Math.max(...found.map((m) => m.end - m.start));
    const top = [...new Set(found.filter((m) => m.end - m.start === longest).map((m) => m.unit))];
    const { winner, order } = rank(top, toks.join(" "));
    if (winner === null) return ambiguous(order);

    // "Văn phòng Sở và Thanh tra Sở": a different unit named in a separate
    // span means two parties run together; picking one would drop the other.
    const spans = found.filter((m) => m.unit === winner && m.end - m.start === longest);
    const elsewhere = found.filter((m) => m.unit !== winner && spans.every((s) => m.end <= s.start || m.start >= s.end));
    if (elsewhere.length) return ambiguous([winner, ...new Set(elsewhere.map((m) => m.unit))]);
    return decide(top, toks.join(" "), CONFIDENCE.contained);
  }

  return {
    route,
    routeParties: (parties) =>
      parties.map((name) => {
        const { trackerId, unit, reason } = route(name);
        return { name, trackerId, unit, reason };
      }),
  };
}

/** True when some party has no tracker id: the document must go to a reviewer. */
export function hasUnroutedParty(parties: ReadonlyArray<{ trackerId: string | null }>): boolean {
  return parties.some((p) => p.trackerId === null);
}
