import { describe, expect, it } from 'vitest';
import { writeAssociations } from '../../connectors/hubspot/hubspot-associations.ts';
import type { Call } from '../../connectors/hubspot/hubspot-call.ts';
import type { HubSpotApi, HubSpotPage, SearchRequest } from '../../connectors/hubspot/hubspot-client.ts';
import { cursorOf, timeOf } from '../../connectors/hubspot/hubspot-records.ts';
import { searchChanges } from '../../connectors/hubspot/hubspot-search-cursor.ts';

/** What the connector makes of answers that leave out members HubSpot marks optional. */
describe('hubspot answers without their optional members', () => {
  it('dates a record by its creation when neither its last-modified property nor updatedAt came', () => {
    const created = { id: '5', properties: { createdate: '2026-02-01T10:00:00.000Z' } };
    expect(timeOf('contacts', created)).toBe(Date.parse('2026-02-01T10:00:00.000Z'));
    const bare = { id: '6', properties: {}, createdAt: new Date('2026-03-01T00:00:00.000Z') };
    expect(cursorOf('deals', bare)).toEqual({ modifiedAt: '2026-03-01T00:00:00.000Z', id: '6' });
  });

  it('keeps searching when a page says how many match but carries no paging', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      id: String(100 + i),
      properties: { hs_lastmodifieddate: String(1000 + i) },
    }));
    const asked: SearchRequest[] = [];
    const api = {
      search: async (_type: string, request: SearchRequest): Promise<HubSpotPage> => {
        asked.push(request);
        const since = Number(request.filterGroups[0]?.filters[0]?.value ?? 0);
        const matches = rows.filter((r) => Number(r.properties.hs_lastmodifieddate) > since);
        return { results: matches.slice(0, request.limit), total: matches.length };
      },
    } as unknown as HubSpotApi;
    const call: Call = (_kind, run) => run(api);
    const seen: string[] = [];
    for await (const page of searchChanges(call, 'deals', [], { ts: 0, id: '' }, [], 2)) {
      seen.push(...page.map((r) => r.id));
    }
    expect(seen).toEqual(['100', '101', '102', '103', '104']);
  });

  it('fails only the associations an error names, by either of their ends', async () => {
    const links = [
      { from: '1', toType: 'companies', to: '20' },
      { from: '1', toType: 'companies', to: '21' },
      { from: '2', toType: 'companies', to: '20' },
    ];
    const failing = async (context: Record<string, string[]>) => {
      const api = {
        associateDefault: async () => ({ errors: [{ category: 'VALIDATION_ERROR', context }] }),
      } as unknown as HubSpotApi;
      const call: Call = (_kind, run) => run(api);
      const failed = await writeAssociations(call, 'contacts', links);
      return Object.fromEntries(
        [...failed].map(([from, e]) => [from, /companies (\d+)/.exec(e.message)?.[1]]),
      );
    };
    expect(await failing({ fromObjectId: ['1'], toObjectId: ['20'] })).toEqual({ '1': '20' });
    expect(await failing({ toObjectId: ['21'] })).toEqual({ '1': '21' });
    expect(await failing({})).toEqual({ '1': '21', '2': '20' });
  });
});
