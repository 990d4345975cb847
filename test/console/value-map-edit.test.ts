import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../console/text-diff.ts';
import { editValueMap, rowsFromForm, rowsOf } from '../../console/value-map-edit.ts';
import { parseConfig } from '../../src/config/load.ts';

const FILE = 'config/example.yaml';
const TEXT = readFileSync(FILE, 'utf8');
const PAIR = ['sf', 'hs'] as const;
const config = () => {
  const parsed = parseConfig(TEXT, FILE);
  if (!parsed.ok) throw new Error('config/example.yaml does not validate');
  return parsed.value;
};
const changes = (before: string, after: string) =>
  lineDiff(before, after, 0).flatMap((d) => (d === 'gap' ? [] : [`${d.kind} ${d.text}`]));

describe('editing a value map from the console', () => {
  it('shows each entry with its values per connection, aliases in order', () => {
    const rows = rowsOf(config(), 'leadStatus');
    expect(rows?.find((r) => r.unified === 'working')).toEqual({
      unified: 'working',
      values: { sf: ['Working - Contacted'], hs: ['IN_PROGRESS', 'ATTEMPTED_TO_CONTACT', 'CONNECTED'] },
    });
    expect(rowsOf(config(), 'leadSource')?.map((r) => r.unified)).not.toContain('fallback');
  });

  it('writes nothing when no row changed', () => {
    const rows = rowsOf(config(), 'industry') ?? [];
    expect(editValueMap(TEXT, FILE, 'industry', rows, PAIR)).toEqual({
      ok: true,
      text: TEXT,
      changed: false,
    });
  });

  it('adds an entry as one line after the last, leaving every other byte of the file as it was', () => {
    const rows = [
      ...(rowsOf(config(), 'temperature') ?? []),
      { unified: 'frozen', values: { sf: ['Frozen'], hs: ['frozen', 'ice cold'] } },
    ];
    const edit = editValueMap(TEXT, FILE, 'temperature', rows, PAIR);
    if (!edit.ok) throw new Error(edit.problems.join('\n'));
    expect(changes(TEXT, edit.text)).toEqual(['add     frozen: { sf: Frozen, hs: [frozen, ice cold] }']);
    const after = parseConfig(edit.text, FILE);
    expect(after.ok && after.value.valueMaps.temperature?.frozen).toEqual({
      sf: 'Frozen',
      hs: ['frozen', 'ice cold'],
    });
  });

  it('rewrites only the entry that changed, and drops a removed one with its line', () => {
    const rows = (rowsOf(config(), 'leadStatus') ?? [])
      .filter((r) => r.unified !== 'converted')
      .map((r) => (r.unified === 'new' ? { ...r, values: { ...r.values, hs: ['NEW'] } } : r));
    const edit = editValueMap(TEXT, FILE, 'leadStatus', rows, PAIR);
    if (!edit.ok) throw new Error(edit.problems.join('\n'));
    expect(changes(TEXT, edit.text)).toEqual([
      'del     new: { sf: Open - Not Contacted, hs: [NEW, OPEN] }',
      'add     new: { sf: Open - Not Contacted, hs: NEW }',
      'del     converted: { sf: Closed - Converted, hs: OPEN_DEAL }',
    ]);
  });

  it('refuses rows that would not make a valid config, saying why', () => {
    const twice = editValueMap(
      TEXT,
      FILE,
      'temperature',
      [
        { unified: 'hot', values: { sf: ['Hot'], hs: ['hot'] } },
        { unified: 'hot', values: { sf: ['Warm'], hs: ['warm'] } },
      ],
      PAIR,
    );
    expect(twice).toEqual({ ok: false, problems: ['the unified value "hot" is listed twice'] });
    const setting = editValueMap(
      TEXT,
      FILE,
      'temperature',
      [{ unified: 'fallback', values: { sf: ['x'] } }],
      PAIR,
    );
    expect(setting).toMatchObject({
      ok: false,
      problems: ['"fallback" is a setting of value maps, not a value'],
    });
    // The lifecycle stages the policy writes must stay mapped: the config's own checks still run.
    const gone = editValueMap(TEXT, FILE, 'lifecycle', [], PAIR);
    expect(gone.ok).toBe(false);
  });

  it('reads the rows of a submitted form, comma-separated aliases and removed rows included', () => {
    const form = new URLSearchParams({
      'row.0.unified': 'hot',
      'row.0.sf': 'Hot',
      'row.0.hs': 'hot, very hot',
      'row.1.unified': 'cold',
      'row.1.remove': 'on',
      'row.2.unified': '',
      'row.2.sf': '',
    });
    expect(rowsFromForm(form, PAIR)).toEqual([
      { unified: 'hot', values: { sf: ['Hot'], hs: ['hot', 'very hot'] } },
    ]);
  });
});
