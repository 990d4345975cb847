import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type ConsoleKit, READONLY_TOKEN, signIn, startConsoleKit } from './console-kit.ts';

describe('explaining a person and previewing a dry run in the admin console', () => {
  let kit: ConsoleKit;
  let admin: { cookie: string; csrf: string };
  const get = async (path: string, cookie = admin.cookie) =>
    (await fetch(`${kit.url}${path}`, { headers: { cookie } })).text();
  const contact = () => {
    const [first] = kit.h.hs.store.all('contacts');
    if (first === undefined) throw new Error('the portal has no contact');
    return first;
  };

  beforeAll(async () => {
    kit = await startConsoleKit();
    admin = await signIn(kit.url, ADMIN_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('finds a person by e-mail in both CRMs, linked, with the policy’s verdict and every rule it evaluated', async () => {
    const { id, properties } = contact();
    const page = await get(`/explain?q=${encodeURIComponent(String(properties.email).toUpperCase())}`);
    expect(page).toContain(
      `<a href="https://app.hubspot.com/contacts/4242/record/0-1/${id}" target="_blank" rel="noopener noreferrer">hs contacts ${id}</a>`,
    );
    expect(page).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/(Lead|Contact)\/\w+\/view"/);
    expect(page).toMatch(/<dt>Stage<\/dt><dd data-verdict="stage">\w+<\/dd>/);
    const rules = page.match(
      /<tr><th scope="row"><code>[^<]+<\/code><\/th><td>[\s\S]*?<\/td><td><span class="verdict-(yes|no)">/g,
    );
    expect(rules?.length).toBeGreaterThan(10);
    expect(page).toContain('<code>signals.demoRequest</code>');
    expect(page).toContain('Classified from the person as crm-bridge last merged it, with its account');
    expect(page).toContain('What crm-bridge last merged for this person and wrote to both sides');
    expect(page).toContain(`<th scope="row"><code>email</code></th><td>${properties.email}</td>`);
    // What crm-bridge wrote to the person, write by write, with the fields it changed.
    expect(page).toContain("What crm-bridge wrote to this person's records, newest first:");
    expect(page).toMatch(
      /<tr><td><time datetime="[^"]+">[^<]+<\/time><\/td><td>(sf|hs) \w+ \w+<\/td><td>(created|updated)<\/td><td><code>\w+<\/code> /,
    );
  });

  it('finds the same person by a record id, and says when nobody matches', async () => {
    const { id } = contact();
    const byId = await get(`/explain?q=${id}`);
    expect(byId).toContain(`hs contacts ${id}</a>`);
    expect(await get('/explain?q=nobody%40nowhere.example')).toContain(
      "No person with nobody@nowhere.example in crm-bridge's identity map (e-mail addresses are looked up among the people a round has read).",
    );
  });

  it('reads a record no round has seen yet straight from its CRM', async () => {
    const [id] = kit.h.sf.seed('Lead', [
      {
        FirstName: 'Nova',
        LastName: 'Newcomer',
        Email: 'nova@newcomer.example.com',
        Company: 'Newcomer Ltd',
      },
    ]);
    const page = await get(`/explain?q=${id}`);
    expect(page).toContain('No round has read this record yet');
    expect(page).toContain(`sf Lead ${id}</a>`);
    expect(page).toContain('<td>nova@newcomer.example.com</td>');
    expect(page).toMatch(/<dt>Stage<\/dt><dd data-verdict="stage">\w+<\/dd>/);
    expect(await get('/explain?q=00Q000000000000ZZZ')).toContain(
      'and no person record with that id in either CRM.',
    );
  });

  it('previews a dry run as a table of writes with before → after, writing nothing', async () => {
    const { id, properties } = contact();
    const title = String(properties.jobtitle ?? '∅');
    kit.h.hs.touch('contacts', [id], { fields: { jobtitle: 'Chief Preview Officer' } });
    const runs = (await kit.h.store.listRuns(100)).length;
    const sfCalls = kit.h.sf.writes('Lead').size + kit.h.sf.writes('Contact').size;
    const viewer = await signIn(kit.url, READONLY_TOKEN);
    const response = await fetch(`${kit.url}/dry-run`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: viewer.csrf }),
      headers: { cookie: viewer.cookie },
    });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toMatch(/Dry run done in [\d.]+ s with .*API calls: \d+ writes? planned, nothing written\./);
    // The touched person's row, among the updates the round would make.
    const rows = [
      ...page.matchAll(
        /<tr><td>update<\/td><td><a href="[^"]+"[^>]*>sf (Lead|Contact) \w+<\/a><\/td><td>([\s\S]*?)<\/td><\/tr>/g,
      ),
    ].map((m) => m[2] ?? '');
    expect(rows.find((r) => r.includes('<code>title</code>'))).toContain(
      `<code>title</code> ${title} → Chief Preview Officer`,
    );
    expect((await kit.h.store.listRuns(100)).length).toBe(runs);
    expect(kit.h.sf.writes('Lead').size + kit.h.sf.writes('Contact').size).toBe(sfCalls);
  });
});
