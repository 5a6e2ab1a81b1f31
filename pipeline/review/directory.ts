import { readFile } from "node:fs/promises";
import { createRouter, loadOrgDirectory, type Router } from "../delivery/routing.ts";

/**
 * The org directory as the review page uses it: every unit name and alias
 * for the assignee autocomplete, and the same router approval uses, so a
 * party the page marks "unrouted" is exactly one that would reach the
 * tracker with trackerId null.
 */
export interface ReviewDirectory {
  /** Unit names first, then aliases, each once. */
  suggestions: string[];
  /** Null when no directory is configured: nothing is then marked unrouted. */
  router: Router | null;
}

export async function loadReviewDirectory(path: string | undefined): Promise<ReviewDirectory> {
  if (!path) return { suggestions: [], router: null };
  const directory = loadOrgDirectory(JSON.parse(await readFile(path, "utf8")));
  const names = directory.units.map((u) => u.name);
  const aliases = directory.units.flatMap((u) => u.aliases);
  return { suggestions: [...new Set([...names, ...aliases])], router: createRouter(directory) };
}

/** Tracker id per party name (null: unrouted); empty when there is no directory. */
export function routeNames(directory: ReviewDirectory, names: Iterable<string>): Record<string, string | null> {
  const router = directory.router;
  if (!router) return {};
  // A Map first: names are user input, and "__proto__" must be a name like any other.
  const routed = new Map<string, string | null>();
  for (const name of names) if (!routed.has(name)) routed.set(name, router.route(name).trackerId);
  return Object.fromEntries(routed);
}
