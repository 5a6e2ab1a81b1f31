import type { FastifyRequest } from "fastify";
import { languageOf, translator, type Lang, type Translate } from "./i18n/index.ts";
import type { Session } from "./sessions.ts";

/**
 * What a review request knows about its reviewer and language. Kept in a
 * WeakMap rather than as fastify request decorations so the rest of the
 * server's request type stays as it is.
 */
export interface ReviewContext {
  lang: Lang;
  t: Translate;
  session: Session | null;
}

const contexts = new WeakMap<FastifyRequest, ReviewContext>();

export function contextOf(request: FastifyRequest): ReviewContext {
  let context = contexts.get(request);
  if (!context) {
    const lang = languageOf(request);
    context = { lang, t: translator(lang), session: null };
    contexts.set(request, context);
  }
  return context;
}

/** The signed-in reviewer; the auth hook guarantees one on every route behind it. */
export function sessionOf(request: FastifyRequest): Session {
  const session = contextOf(request).session;
  if (!session) throw new Error("no session: the route is not behind the review auth hook");
  return session;
}
