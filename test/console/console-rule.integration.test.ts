import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editRule } from '../../console/rule-edit.ts';
import { ADMIN_TOKEN, type ConsoleKit, READONLY_TOKEN, signIn, startConsoleKit } from './console-kit.ts';

const PAIR = ['sf', 'hs'] as const;
const CONFIG = readFileSync('config/example.yaml', 'utf8');

describe("editing a field's rule", () => {
  it('replaces an existing rule where it stands and adds a missing one inside the field’s braces, nothing else', () => {
    const set = editRule(CONFIG, 'config/example.yaml', 'opportunity', 'isWon', 'always:sf', PAIR);
    if (!set.ok) throw new Error(set.problems.join('; '));
    const changed = set.text.split('\n').filter((line, i) => line !== CONFIG.split('\n')[i]);
    expect(changed).toEqual(['      - { unified: isWon, sf: IsWon, hs: hs_is_closed_won, rule: always:sf }']);

    const added = editRule(CONFIG, 'config/example.yaml', 'opportunity', 'nextStep', 'prefer:hs', PAIR);
    if (!added.ok) throw new Error(added.problems.join('; '));
    expect(added.text.split('\n').filter((line, i) => line !== CONFIG.split('\n')[i])).toEqual([
      '      - { unified: nextStep, sf: NextStep, hs: hs_next_step, rule: prefer:hs }',
    ]);
    expect(editRule(CONFIG, 'c.yaml', 'opportunity', 'nextStep', 'two-way', PAIR)).toEqual({
      ok: true,
      text: CONFIG,
      changed: false,
    });
  });

  it('refuses a rule the pair cannot have and a field the config does not map', () => {
    expect(editRule(CONFIG, 'c.yaml', 'person', 'title', 'prefer:pd', PAIR)).toEqual({
      ok: false,
      problems: ['"prefer:pd" is not a rule between sf and hs'],
    });
    expect(editRule(CONFIG, 'c.yaml', 'person', 'nosuch', 'none', PAIR)).toEqual({
      ok: false,
      problems: ['c.yaml: objects.person maps no field nosuch'],
    });
  });
});

describe('the rule page of the admin console', () => {
  let kit: ConsoleKit;
  let admin: { cookie: string; csrf: string };
  const get = async (path: string, cookie = admin.cookie) =>
    (await fetch(`${kit.url}${path}`, { headers: { cookie } })).text();
  const post = (path: string, body: URLSearchParams, cookie = admin.cookie) =>
    fetch(`${kit.url}${path}`, { method: 'POST', body, headers: { cookie }, redirect: 'manual' });
  const base = (page: string) => /name="base" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';

  beforeAll(async () => {
    kit = await startConsoleKit();
    admin = await signIn(kit.url, ADMIN_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await kit?.close();
  });

  it('links each rule from the mapping, previews the change as a diff, saves it and reloads the config', async () => {
    expect(await get('/mapping')).toContain('href="/mapping/rule/opportunity/nextStep"');
    const form = await get('/mapping/rule/opportunity/nextStep');
    expect(form).toContain('value="two-way" checked');
    const body = new URLSearchParams({ _csrf: admin.csrf, base: base(form), rule: 'prefer:hs' });
    const preview = await (await post('/mapping/rule/opportunity/nextStep/preview', body)).text();
    expect(preview).toContain('rule: prefer:hs }');
    expect(readFileSync(kit.file, 'utf8')).not.toContain('hs_next_step, rule: prefer:hs');

    const saved = await post(
      '/mapping/rule/opportunity/nextStep',
      new URLSearchParams({ _csrf: admin.csrf, base: base(preview), rule: 'prefer:hs' }),
    );
    expect(saved.status).toBe(303);
    expect(readFileSync(kit.file, 'utf8')).toContain('hs: hs_next_step, rule: prefer:hs }');
    expect(
      kit.project.ctx.config.objects.opportunity?.fields.find((f) => f.unified === 'nextStep')?.rule,
    ).toBe('prefer:hs');
  });

  it('refuses the read-only token and a request without the CSRF token', async () => {
    const viewer = await signIn(kit.url, READONLY_TOKEN);
    const form = await get('/mapping/rule/opportunity/description', viewer.cookie);
    const body = new URLSearchParams({ _csrf: viewer.csrf, base: base(form), rule: 'none' });
    expect((await post('/mapping/rule/opportunity/description', body, viewer.cookie)).status).toBe(403);
    const noCsrf = new URLSearchParams({ base: base(form), rule: 'none' });
    expect((await post('/mapping/rule/opportunity/description', noCsrf)).status).toBe(403);
    expect(readFileSync(kit.file, 'utf8')).not.toContain('hs: description, rule: none');
  });
});
