import { type Html, html } from '../html.ts';
import { page } from '../layout.ts';

/** The sign-in form: the token from CRM_BRIDGE_CONSOLE_TOKEN (or the read-only one). */
export function loginPage(problem: string | undefined, next: string): Html {
  return page(
    'Sign in',
    undefined,
    '/login',
    html`<form method="post" action="/login" class="login">
  ${problem === undefined ? '' : html`<p class="error" role="alert">${problem}</p>`}
  <label for="token">Console token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <input type="hidden" name="next" value="${next}">
  <button type="submit">Sign in</button>
  <p class="hint">The value of <code>CRM_BRIDGE_CONSOLE_TOKEN</code>, or of <code>CRM_BRIDGE_CONSOLE_READONLY_TOKEN</code> to look without changing anything.</p>
</form>`,
  );
}
