import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningWorker, startWorker } from '../../jobs/worker.ts';
import { REDIS_URL } from '../jobs/redis-prefix.ts';
import { memoryLogger } from '../jobs/worker-kit.ts';
import { ADMIN_TOKEN, type ConsoleKit, ENERGY_ACCOUNTS, startConsoleKit } from './console-kit.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Where each run leaves its screenshots (git-ignored); CRM_BRIDGE_DOCS_SCREENSHOTS=1 also copies them to docs/. */
const SHOTS = 'screenshots/console';
const DOCS = 'docs/console';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium)
  console.warn(`console browser tests skipped: no ${CHROMIUM} (install it with apt-get install -y chromium)`);

describe.skipIf(!haveChromium)('the admin console in a real browser', () => {
  let kit: ConsoleKit;
  let worker: RunningWorker;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  async function shot(name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.CRM_BRIDGE_DOCS_SCREENSHOTS === '1') {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(file, join(DOCS, `${name}.png`));
    }
  }

  /** Visible form controls without a name a screen reader reads out (the page runs it: no DOM types here). */
  async function unlabelled(): Promise<string[]> {
    return (await page.evaluate(`[...document.querySelectorAll('input:not([type=hidden]), button, select, textarea')]
      .filter((el) => !el.getAttribute('aria-label') &&
        (el.tagName === 'BUTTON' ? el.textContent.trim() === '' : (el.labels?.length ?? 0) === 0))
      .map((el) => el.outerHTML.slice(0, 80))`)) as string[];
  }

  beforeAll(async () => {
    kit = await startConsoleKit();
    worker = await startWorker({
      runtime: { ctx: kit.project.ctx, close: async () => {} },
      redisUrl: REDIS_URL,
      prefix: kit.prefix,
      logger: memoryLogger().logger,
    });
    profile = mkdtempSync(join(tmpdir(), 'crm-bridge-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(20_000);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await worker?.stop();
    await kit?.close();
  }, 60_000);

  it('signs in with the token and shows the health figures the store holds', async () => {
    await page.goto(`${kit.url}/quarantine`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot('login');
    await page.getByLabel('Console token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${kit.url}/quarantine`);
    await page.getByRole('link', { name: 'Sync health' }).click();
    await page.waitForURL(`${kit.url}/`);

    const [run] = await kit.h.store.listRuns(1);
    const counts = Object.entries(run?.summary?.counts ?? {});
    const sum = (outcome: string) =>
      counts.filter(([k]) => k.split('.')[1] === outcome).reduce((n, [, v]) => n + v, 0);
    const row = page.locator(`tr[data-run="${run?.id}"]`);
    expect(await row.locator('[data-figure=created]').textContent()).toBe(String(sum('created')));
    expect(await row.locator('[data-figure=updated]').textContent()).toBe(String(sum('updated')));
    expect(await row.locator('[data-figure=quarantined]').textContent()).toBe(String(sum('quarantined')));
    const calls = Object.entries(run?.summary?.apiCalls ?? {})
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
    expect(await row.locator('[data-figure=api-calls]').textContent()).toBe(calls);
    expect(await page.locator('[data-figure=quarantine-open]').textContent()).toBe(
      String(await kit.h.store.countQuarantine()),
    );
    expect(await page.locator('[data-figure=next-round]').textContent()).toBe('2027-01-01 00:00:00 UTC');
    expect(await page.locator('svg[role=img] rect.written').count()).toBe(1);
    await shot('health');
  }, 60_000);

  it('opens a group of held records, with links into the CRM', async () => {
    await page.getByRole('link', { name: 'Held records and field issues' }).click();
    const group = page.locator('details.group').first();
    await group.locator('summary').click();
    await expect.poll(() => group.getAttribute('open')).toBe('');
    expect(await group.locator('summary').textContent()).toContain('industry = "Energy": 3 records');
    const records = group.locator('tbody td:nth-child(2) a');
    expect(await records.count()).toBe(ENERGY_ACCOUNTS.length);
    expect(await records.first().getAttribute('href')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/lightning\/r\/Account\/\w+\/view$/,
    );
    // Each account's twin in HubSpot, the company that synced without its industry.
    const twins = group.locator('tbody td:nth-child(3) a');
    expect(await twins.count()).toBe(ENERGY_ACCOUNTS.length);
    expect(await twins.first().getAttribute('href')).toMatch(
      /^https:\/\/app\.hubspot\.com\/contacts\/4242\/record\/0-2\/\d+$/,
    );
    await shot('quarantine');
  }, 60_000);

  it('fixes the value map on the mapping page: a diff first, then the file', async () => {
    await page.getByRole('link', { name: 'Mapping' }).click();
    await expect
      .poll(() => page.locator('tr[data-field="account.industry"] mark.unknown').textContent())
      .toBe('Energy');
    await shot('mapping');
    // Each rule links to its form: the pair's rules with what each means, labelled for the keyboard.
    await page.getByRole('link', { name: /^Rule of opportunity\.nextStep/ }).click();
    expect(await page.locator('input[name="rule"]:checked').inputValue()).toBe('two-way');
    expect(await unlabelled()).toEqual([]);
    await shot('rule');
    await page.goto(`${kit.url}/quarantine`);
    await page.locator('details.group summary').first().click();
    await page.getByRole('link', { name: 'Fix the value map industry' }).click();
    expect(await unlabelled()).toEqual([]);
    const suggested = page.locator('tr.suggested');
    expect(await suggested.locator('input[name$=".sf"]').inputValue()).toBe('Energy');
    expect(await suggested.locator('input[name$=".unified"]').inputValue()).toBe('energy');
    await suggested.locator('input[name$=".hs"]').fill('OIL_ENERGY');
    await shot('value-map');
    await page.getByRole('button', { name: 'Preview the change' }).click();
    expect(await page.locator('.diff .add').textContent()).toMatch(
      /energy: \{ sf: Energy, hs: OIL_ENERGY \}$/,
    );
    await shot('value-map-preview');
    await page.getByRole('button', { name: 'Save to the config file' }).click();
    expect(await page.locator('.flash').textContent()).toContain('Saved valueMaps.industry');
    expect(kit.project.ctx.config.valueMaps.industry?.energy).toEqual({ sf: 'Energy', hs: 'OIL_ENERGY' });
  }, 60_000);

  it('replays the group and watches the next round clear it, live on the health page', async () => {
    await page.goto(`${kit.url}/quarantine`);
    await page.locator('details.group summary').first().click();
    await page.getByRole('button', { name: 'Replay these 3 records' }).click();
    expect(await page.locator('.flash').textContent()).toMatch(
      /Replayed 3 records\. A sync round is queued \(job \d+\)/,
    );
    await page.getByRole('link', { name: 'Sync health' }).click();
    // No reload: the page refreshes itself until the round the replay queued has run.
    await expect
      .poll(() => page.locator('tr[data-run] td.status-succeeded').count(), { timeout: 30_000 })
      .toBe(2);
    expect(await page.locator('[data-figure=quarantine-open]').textContent()).toBe('0');
    const industries = kit.h.hs.store
      .all('companies')
      .filter((c) => ENERGY_ACCOUNTS.includes(String(c.properties.name)))
      .map((c) => c.properties.industry);
    expect(industries).toEqual(['OIL_ENERGY', 'OIL_ENERGY', 'OIL_ENERGY']);
    await page.getByRole('link', { name: 'Held records and field issues' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Nothing is quarantined.');
  }, 60_000);

  it('explains a person: both records, the verdict and every rule', async () => {
    const email = String(kit.h.hs.store.all('contacts')[0]?.properties.email);
    await page.getByRole('link', { name: 'Explain a person' }).click();
    await page.getByLabel('E-mail address or record id (in either CRM)').fill(email);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/explain\?q=/);
    expect(
      await page.locator('thead a[href^="https://app.hubspot.com/contacts/4242/record/0-1/"]').count(),
    ).toBe(1);
    expect(await page.locator('thead a[href*="/lightning/r/"]').count()).toBe(1);
    expect(await page.locator('table.trace tbody tr').count()).toBeGreaterThan(10);
    expect(await unlabelled()).toEqual([]);
    await shot('explain');
  }, 60_000);

  it('runs a dry-run preview in place and shows the plan, writing nothing', async () => {
    const [contact] = kit.h.hs.store.all('contacts');
    kit.h.hs.touch('contacts', [contact?.id ?? ''], { fields: { jobtitle: 'Chief Preview Officer' } });
    const runs = (await kit.h.store.listRuns(100)).length;
    await page.getByRole('link', { name: 'Dry-run preview' }).click();
    // In place (htmx): the page does not navigate.
    let navigations = 0;
    const navigated = () => {
      navigations++;
    };
    page.on('framenavigated', navigated);
    await page.getByRole('button', { name: 'Run a dry-run round' }).click();
    const plan = page.locator('#plan table.plan');
    await plan.first().waitFor({ timeout: 30_000 });
    page.off('framenavigated', navigated);
    expect(navigations).toBe(0);
    expect(await plan.locator('td', { hasText: 'Chief Preview Officer' }).count()).toBe(1);
    expect((await kit.h.store.listRuns(100)).length).toBe(runs);
    await shot('dry-run');
  }, 60_000);

  it('works at phone width and from the keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${kit.url}/`);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('health-phone');
    await page.goto(`${kit.url}/quarantine`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Sync health');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${kit.url}/`);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
});
