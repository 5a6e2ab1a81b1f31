// natural ships no typings for its distance subpaths, and its typed index must
// not be imported (it loads `.env` and prints to stdout): declare the one file
// the router uses. CommonJS `module.exports = fn`, so it is the default export.
declare module "natural/lib/natural/distance/jaro-winkler_distance.js" {
  /** Jaro–Winkler similarity in [0, 1] (1 = identical), biased towards a shared prefix. */
  export default function JaroWinklerDistance(
    s1: string,
    s2: string,
    options?: { ignoreCase?: boolean; dj?: number },
  ): number;
}
