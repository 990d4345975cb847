import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { REDIS_URL, until } from '../jobs/redis-prefix.ts';
import { memoryLogger } from '../jobs/worker-kit.ts';
import {
  ADMIN_TOKEN,
  type ConsoleKit,
  ENERGY_ACCOUNTS,
  READONLY_TOKEN,
  signIn,
  startConsoleKit,
} from './console-kit.ts';

/** The named inputs of a page's forms with their values (checkboxes only when checked). */
function inputs(page: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const m of page.matchAll(
    /<input type="(?:hidden|text)"(?: id="[^"]*")? name="([^"]+)" value="([^"]*)">/g,
  ))
    out.append(m[1] ?? '', (m[2] ?? '').replaceAll('&amp;', '&').replaceAll('&quot;', '"'));
  return out;
}

describe('the mapping pages of the admin console', () => {
  let kit: ConsoleKit;
  let admin: { cookie: string; csrf: string };
  let worker: RunningWorker | undefined;
  const get = async (path: string, cookie = admin.cookie) =>
    (await fetch(`${kit.url}${path}`, { headers: { cookie } })).text();
  const post = (path: string, body: URLSearchParams, cookie = admin.cookie) =>
    fetch(`${kit.url}${path}`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' });

  /** The industry form with the suggested Energy row given HubSpot's value. */
  async function energyForm(hubspot: string): Promise<URLSearchParams> {
    const form = inputs(await get('/mapping/values/industry'));
    const row = [...form.entries()].find(([k, v]) => /^row\.\d+\.sf$/.test(k) && v === 'Energy')?.[0];
    if (row === undefined) throw new Error('no row suggested for Energy');
    form.set(row.replace(/\.sf$/, '.hs'), hubspot);
    return form;
  }

  beforeAll(async () => {
    kit = await startConsoleKit();
    admin = await signIn(kit.url, ADMIN_TOKEN);
    // Started before the value map is edited: it must see the edit without a restart.
    worker = await startWorker({
      runtime: { ctx: kit.project.ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix: kit.prefix,
      logger: memoryLogger().logger,
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await kit?.close();
  });

  it('lays the mapping out per entity with the CRMs’ labels, and highlights the unknown values the data holds', async () => {
    const page = await get('/mapping');
    const industry = /<tr data-field="account\.industry">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(industry).toContain('<code>Industry</code> <span class="hint">Industry</span>');
    expect(industry).toContain('<code>industry</code>');
    expect(industry).toContain('<a href="/mapping/values/industry">industry</a>');
    expect(industry).toContain('<mark class="unknown">Energy</mark> 3 records');
    const email = /<tr data-field="person\.email">([\s\S]*?)<\/tr>/.exec(page)?.[1] ?? '';
    expect(email).toContain('two-way');
    expect(email).toContain('<td>email</td>');
    expect(page).toMatch(
      /industry<\/a> <span class="hint">\d+ values, used by person\.industry, account\.industry/,
    );
  });

  it('offers a row for each unknown value, and previews the change as a diff before anything is saved', async () => {
    const before = readFileSync(kit.file, 'utf8');
    const form = await energyForm('OIL_ENERGY, RENEWABLES_ENVIRONMENT');
    const preview = await post('/mapping/values/industry/preview', form);
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toMatch(
      /<span class="add">\+ +\d+ +energy: \{ sf: Energy, hs: \[OIL_ENERGY, RENEWABLES_ENVIRONMENT\] \}<\/span>/,
    );
    expect(page.match(/<span class="(add|del)">/g)).toHaveLength(1);
    expect(page).not.toContain('The CRMs disagree');
    expect(readFileSync(kit.file, 'utf8')).toBe(before);
  });

  it('warns when a value is not an option the CRM has', async () => {
    const page = await (
      await post('/mapping/values/industry/preview', await energyForm('NUCLEAR_FUSION'))
    ).text();
    expect(page).toContain('The CRMs disagree');
    expect(page).toContain(
      '&quot;NUCLEAR_FUSION&quot; (for energy) is not an active value of hs companies industry',
    );
  });

  it('refuses a change the config would not validate with, saying why, and saves nothing', async () => {
    const form = await energyForm('OIL_ENERGY');
    form.set('row.0.unified', 'fallback');
    const page = await (await post('/mapping/values/industry/preview', form)).text();
    expect(page).toContain('&quot;fallback&quot; is a setting of value maps, not a value');
  });

  it('keeps a read-only session from previewing or saving', async () => {
    const viewer = await signIn(kit.url, READONLY_TOKEN);
    const form = await energyForm('OIL_ENERGY');
    form.set('_csrf', viewer.csrf);
    expect((await post('/mapping/values/industry/preview', form, viewer.cookie)).status).toBe(403);
    expect((await post('/mapping/values/industry', form, viewer.cookie)).status).toBe(403);
  });

  it('shows the map as the file holds it now, after a hand edit the console did not load', async () => {
    const before = readFileSync(kit.file, 'utf8');
    writeFileSync(
      kit.file,
      before.replace('    banking: { sf: Banking,', '    banking: { sf: Banking and Finance,'),
    );
    try {
      const form = inputs(await get('/mapping/values/industry'));
      const row = [...form.entries()].find(([, v]) => v === 'banking')?.[0] ?? '';
      expect(form.get(row.replace(/\.unified$/, '.sf'))).toBe('Banking and Finance');
    } finally {
      writeFileSync(kit.file, before);
    }
  });

  it('saves the previewed change into the file, comments kept, and the console uses it at once', async () => {
    const before = readFileSync(kit.file, 'utf8');
    const preview = await (
      await post('/mapping/values/industry/preview', await energyForm('OIL_ENERGY'))
    ).text();
    const confirm = inputs(preview.slice(preview.indexOf('action="/mapping/values/industry"')));
    const saved = await post('/mapping/values/industry', confirm);
    expect(saved.status).toBe(303);
    const after = readFileSync(kit.file, 'utf8');
    const added = after.split('\n').filter((line) => !before.split('\n').includes(line));
    expect(added).toEqual(['    energy: { sf: Energy, hs: OIL_ENERGY }']);
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
    expect(kit.project.ctx.config.valueMaps.industry?.energy).toEqual({ sf: 'Energy', hs: 'OIL_ENERGY' });
    expect(await get('/mapping/values/industry')).toContain('Saved valueMaps.industry to');

    // The same confirmation again: the file is no longer the one previewed.
    const again = await post('/mapping/values/industry', confirm);
    expect(again.status).toBe(303);
    expect(await get('/mapping/values/industry')).toContain('changed since the preview');
    expect(readFileSync(kit.file, 'utf8')).toBe(after);
  });

  it('replays the group after the fix: a worker started before it syncs with the saved map, and the group clears', async () => {
    const ids = (await kit.h.store.listQuarantine()).map((e) => e.id).join(',');
    const replay = await post('/replay', new URLSearchParams({ ids, _csrf: admin.csrf }));
    expect(replay.status).toBe(303);
    await until(async () => (await kit.h.store.listRuns(10)).length === 2, 20_000, 'the replayed round');
    await until(async () => (await kit.h.store.listRuns(1))[0]?.status === 'succeeded', 20_000, 'its end');
    expect(await kit.h.store.countQuarantine()).toBe(0);
    const industries = kit.h.hs.store
      .all('companies')
      .filter((c) => ENERGY_ACCOUNTS.includes(String(c.properties.name)))
      .map((c) => c.properties.industry);
    expect(industries).toEqual(['OIL_ENERGY', 'OIL_ENERGY', 'OIL_ENERGY']);
  });
});
