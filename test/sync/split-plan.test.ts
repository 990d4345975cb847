import { describe, expect, it } from 'vitest';
import type { PlannedConversion, PlannedWrite } from '../../src/sync/plan.ts';
import { mergeOutcomes, splitPlan, storeOutcome } from '../../src/sync/push.ts';

const write = (connection: string, object: string, n: number): PlannedWrite => ({
  entity: 'person',
  unifiedId: `u${n}`,
  connection,
  object,
  write: { ref: `r${n}`, fields: { email: `p${n}@example.com` } },
  create: true,
  diff: {},
  hash: `h${n}`,
  source: undefined,
});

const conversion = (n: number): PlannedConversion => ({
  unifiedId: `c${n}`,
  connection: 'sf',
  conversion: { ref: `c${n}`, personId: `00Q${n}`, convertedStatus: 'Qualified', createOpportunity: false },
});

describe('splitting a plan into push batches', () => {
  it('keeps one target per batch, at most the size of its connection, in plan order', () => {
    const writes = [
      ...Array.from({ length: 250 }, (_, i) => write('hs', 'contacts', i)),
      ...Array.from({ length: 3 }, (_, i) => write('sf', 'Contact', 1000 + i)),
      ...Array.from({ length: 450 }, (_, i) => write('sf', 'Lead', 2000 + i)),
    ];
    const conversions = Array.from({ length: 5 }, (_, i) => conversion(i));
    const batches = splitPlan({ writes, conversions }, (c) => (c === 'hs' ? 100 : 200));
    expect(
      batches.map((b) => [b.writes[0]?.object ?? 'convert', b.writes.length || b.conversions.length]),
    ).toEqual([
      ['contacts', 100],
      ['contacts', 100],
      ['contacts', 50],
      ['Contact', 3],
      ['Lead', 200],
      ['Lead', 200],
      ['Lead', 50],
      ['convert', 5],
    ]);
    expect(batches.flatMap((b) => b.writes)).toEqual(writes);
  });

  it('adds the outcomes of batches up, failed records included', () => {
    const outcome = (n: number) =>
      storeOutcome({
        created: { 'hs/contacts': n },
        updated: { 'sf/Lead': 1 },
        converted: 1,
        quarantined: [],
        links: [
          { entity: 'person', unifiedId: `u${n}`, connection: 'hs', object: 'contacts', externalId: `${n}` },
        ],
        written: [{ connection: 'hs', object: 'contacts', externalId: `${n}`, hash: 'h' }],
        failed: new Set([`f${n}`]),
      });
    const merged = mergeOutcomes([outcome(2), JSON.parse(JSON.stringify(outcome(3)))]);
    expect(merged.created).toEqual({ 'hs/contacts': 5 });
    expect(merged.updated).toEqual({ 'sf/Lead': 2 });
    expect(merged.converted).toBe(2);
    expect(merged.links.map((l) => l.externalId)).toEqual(['2', '3']);
    expect([...merged.failed]).toEqual(['f2', 'f3']);
  });
});
