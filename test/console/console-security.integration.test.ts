import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ConsoleKit, READONLY_TOKEN, signIn, startConsoleKit } from './console-kit.ts';

/** Every page and API of the console, as a GET. */
const PAGES = [
  '/',
  '/health/live',
  '/api/health',
  '/quarantine',
  '/mapping',
  '/mapping/values/industry',
  '/explain',
  '/explain?q=nobody%40example.com',
  '/dry-run',
];

describe('the admin console over plain HTTP', () => {
  let kit: ConsoleKit;
  let admin: { cookie: string; csrf: string };
  let viewer: { cookie: string; csrf: string };
  const get = (path: string, cookie?: string) =>
    fetch(`${kit.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const post = (path: string, body: Record<string, string>, cookie?: string) =>
    fetch(`${kit.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams(body),
      headers: cookie ? { cookie } : {},
      redirect: 'manual',
    });

  beforeAll(async () => {
    kit = await startConsoleKit();
    admin = await signIn(kit.url, ADMIN_TOKEN);
    viewer = await signIn(kit.url, READONLY_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('answers no page or API without a session: pages send to the sign-in, the API says 401', async () => {
    for (const path of PAGES) {
      const response = await get(path);
      const body = await response.text();
      if (path.startsWith('/api/')) expect(response.status, path).toBe(401);
      else {
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
      expect(body, path).not.toContain('quarantine');
    }
    const forged = await get('/', 'crm_bridge_console=made-up-session-id');
    expect(forged.status).toBe(303);
    const replay = await post('/replay', { ids: '1' });
    expect(replay.status).toBe(401);
    expect(await kit.h.store.countQuarantine()).toBe(3);
  });

  it('refuses a wrong token, and sets an HttpOnly, SameSite=Strict cookie for a right one (Secure behind TLS)', async () => {
    const wrong = await post('/login', { token: `${ADMIN_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('That token is not accepted.');

    const plain = await post('/login', { token: ADMIN_TOKEN });
    expect(plain.status).toBe(303);
    const cookie = plain.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^crm_bridge_console=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );

    const proxied = await fetch(`${kit.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
      headers: { 'x-forwarded-proto': 'https' },
      redirect: 'manual',
    });
    expect(proxied.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);

    const crossSite = await fetch(`${kit.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
      headers: { origin: 'https://evil.example.com' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a state-changing request without its CSRF token, or with another session’s', async () => {
    const missing = await post('/replay', { ids: '1,2,3' }, admin.cookie);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('CSRF');
    const others = await post('/replay', { ids: '1,2,3', _csrf: viewer.csrf }, admin.cookie);
    expect(others.status).toBe(403);
    expect(await kit.h.store.countQuarantine()).toBe(3);
  });

  it('lets the read-only token see every page and change nothing', async () => {
    for (const path of PAGES) expect((await get(path, viewer.cookie)).status, path).toBe(200);
    const quarantine = await (await get('/quarantine', viewer.cookie)).text();
    expect(quarantine).toContain('industry = &quot;Energy&quot;: 3 records');
    expect(quarantine).toContain('disabled title="read-only session"');
    const replay = await post('/replay', { ids: '1,2,3', _csrf: viewer.csrf }, viewer.cookie);
    expect(replay.status).toBe(403);
    expect(await replay.text()).toContain('read-only');
    expect(await kit.h.store.countQuarantine()).toBe(3);
  });

  it('shows the run log’s figures as the store holds them', async () => {
    const health = (await (await get('/api/health', admin.cookie)).json()) as {
      figures: { id: string; created: number; updated: number; quarantined: number }[];
    };
    const [run] = await kit.h.store.listRuns(1);
    const counts = Object.entries(run?.summary?.counts ?? {});
    const sum = (outcome: string) =>
      counts.filter(([k]) => k.split('.')[1] === outcome).reduce((n, [, v]) => n + v, 0);
    expect(health.figures[0]).toMatchObject({
      id: run?.id,
      created: sum('created'),
      updated: sum('updated'),
      quarantined: sum('quarantined'),
    });
    expect(health.figures[0]?.created).toBeGreaterThan(0);
  });

  it('never shows a credential or a token in any page, as either role', async () => {
    const email = String(kit.h.hs.store.all('contacts')[0]?.properties.email);
    const person = `/explain?q=${encodeURIComponent(email)}`;
    for (const session of [admin, viewer]) {
      const bodies: [string, string][] = [];
      for (const path of [...PAGES, person])
        bodies.push([path, await (await get(path, session.cookie)).text()]);
      const plan = await post('/dry-run', { _csrf: session.csrf }, session.cookie);
      bodies.push(['POST /dry-run', await plan.text()]);
      expect(bodies.find(([path]) => path === person)?.[1]).toContain('Classification');
      for (const [path, body] of bodies)
        for (const secret of kit.secrets) expect(body.includes(secret), `${path} shows a secret`).toBe(false);
    }
  });

  it('serves htmx and the stylesheet to anyone, and nothing else under /static', async () => {
    const htmx = await get('/static/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await htmx.text()).toContain('htmx');
    expect((await get('/static/console.css')).status).toBe(200);
    expect((await get('/static/../package.json')).status).not.toBe(200);
    expect((await get('/static/secrets.txt')).status).not.toBe(200);
  });

  it('sends security headers with every answer', async () => {
    const response = await get('/', admin.cookie);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('signs out: the session no longer opens a page', async () => {
    const session = await signIn(kit.url, ADMIN_TOKEN);
    const out = await post('/logout', { _csrf: session.csrf }, session.cookie);
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await get('/', session.cookie)).status).toBe(303);
  });

  it('replays a group for an admin with the CSRF token: the entries resolve and a round is queued', async () => {
    const replay = await post('/replay', { ids: '1,2,3', _csrf: admin.csrf }, admin.cookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.get('location')).toBe('/quarantine');
    const page = await (await get('/quarantine', admin.cookie)).text();
    expect(page).toMatch(/Replayed 3 records\. A sync round is queued \(job \d+\)/);
    expect(page).toContain('Nothing is quarantined.');
    expect(await kit.h.store.countQuarantine()).toBe(0);
  });
});
