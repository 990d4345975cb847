import type { Session } from './auth.ts';
import { type Html, html } from './html.ts';

const NAV = [
  ['/', 'Sync health'],
  ['/quarantine', 'Held records and field issues'],
  ['/mapping', 'Mapping'],
  ['/explain', 'Explain a person'],
  ['/dry-run', 'Dry-run preview'],
] as const;

/** A whole page: navigation, the session's message, the content; htmx sends the CSRF token with its requests. */
export function page(title: string, session: Session | undefined, current: string, content: Html): Html {
  const flash = session?.flash;
  if (session !== undefined) session.flash = undefined;
  const headers = session === undefined ? '' : JSON.stringify({ 'X-CSRF-Token': session.csrf });
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>
<title>${title} · crm-bridge console</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/htmx.min.js" defer></script>
</head>
<body hx-headers="${headers}">
<a class="skip" href="#main">Skip to content</a>
<header>
  <span class="brand">crm-bridge</span>
  ${
    session === undefined
      ? ''
      : html`<nav aria-label="Console"><ul>${NAV.map(
          ([href, label]) =>
            html`<li><a href="${href}"${current === href ? html` aria-current="page"` : ''}>${label}</a></li>`,
        )}</ul></nav>
  <form method="post" action="/logout" class="signout">${csrfField(session)}<span class="role">${
    session.role === 'readonly' ? 'read-only' : 'admin'
  }</span> <button type="submit">Sign out</button></form>`
  }
</header>
<main id="main">
<h1>${title}</h1>
${flash === undefined ? '' : html`<p class="flash" role="status">${flash}</p>`}
${content}
</main>
</body>
</html>
`;
}

/** The hidden field every state-changing form carries. */
export const csrfField = (session: Session): Html =>
  html`<input type="hidden" name="_csrf" value="${session.csrf}">`;

/** A form button that only an admin's session may use; a read-only session sees it disabled, with why. */
export function adminButton(session: Session, label: string, attributes: Html = html``): Html {
  return session.role === 'admin'
    ? html`<button type="submit" ${attributes}>${label}</button>`
    : html`<button type="submit" disabled title="read-only session">${label}</button>`;
}
