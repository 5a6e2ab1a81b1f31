import { html, type SafeHtml } from "./html.ts";
import type { ReviewContext } from "./context.ts";

/**
 * The page shell: one stylesheet and one script module, both from
 * /review/assets (the CSP allows nothing else), a skip link for keyboard
 * users, the language switch and the sign-out form with its CSRF token.
 */
export interface PageOptions {
  title: string;
  /** The current path and query, for the language switch to come back to. */
  here: string;
  body: SafeHtml;
  /** Extra script modules from /review/assets. */
  scripts?: string[];
  bodyClass?: string;
}

export function page(context: ReviewContext, options: PageOptions): SafeHtml {
  const { t, lang, session } = context;
  const other = lang === "vi" ? "en" : "vi";
  const scripts = ["review/page.js", ...(options.scripts ?? [])];
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${session ? html`<meta name="csrf-token" content="${session.csrfToken}">` : ""}
<title>${options.title} · ${t("app.title")}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/review/assets/review.css">
${scripts.map((src) => html`<script type="module" src="/review/assets/${src}"></script>\n`)}
</head>
<body class="${options.bodyClass ?? ""}">
<a class="skip" href="#main">${t("nav.skip")}</a>
<header class="topbar">
  <a class="brand" href="/review">vanthu</a>
  ${session ? html`<nav><a href="/review" accesskey="h">${t("nav.inbox")}</a></nav>` : ""}
  <span class="spacer"></span>
  <a class="lang" href="/review/lang/${other}?back=${encodeURIComponent(options.here)}" hreflang="${other}" lang="${other}">${t("lang.switch")}</a>
  ${session
    ? html`<span class="who">${t("nav.signedInAs", { user: session.user, role: t(session.role === "admin" ? "role.admin" : "role.reviewer") })}</span>
  <form method="post" action="/review/logout" class="inline"><input type="hidden" name="_csrf" value="${session.csrfToken}"><button type="submit">${t("nav.logout")}</button></form>`
    : ""}
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
</body>
</html>`;
}

export function errorPage(context: ReviewContext, here: string, message: string): SafeHtml {
  const { t } = context;
  return page(context, {
    title: t("error.title"),
    here,
    body: html`<h1>${t("error.title")}</h1><p class="error" role="alert">${message}</p><p><a href="/review">${t("error.back")}</a></p>`,
  });
}
