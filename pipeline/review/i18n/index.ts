import type { FastifyRequest } from "fastify";
import { readCookie } from "../cookies.ts";
import { en } from "./en.ts";
import { vi, type Dictionary, type MessageKey } from "./vi.ts";

/** Vietnamese by default; English when the reviewer chose it (a cookie) or asked with ?lang=en. */
export const LANGUAGES = { vi, en } as const satisfies Record<string, Dictionary>;
export type Lang = keyof typeof LANGUAGES;
export const DEFAULT_LANG: Lang = "vi";
export const LANG_COOKIE = "vanthu_lang";
export type { Dictionary, MessageKey };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && Object.hasOwn(LANGUAGES, value);
}

export function languageOf(request: FastifyRequest): Lang {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(query)) return query;
  const cookie = readCookie(request, LANG_COOKIE);
  return isLang(cookie) ? cookie : DEFAULT_LANG;
}

export function translator(lang: Lang): Translate {
  const dictionary: Dictionary = LANGUAGES[lang];
  return (key, vars) => {
    const text = dictionary[key] ?? key;
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole)) : text;
  };
}
