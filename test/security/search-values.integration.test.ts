import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSpotSandbox, SANDBOX_TOKEN } from '../../sandboxes/hubspot/index.ts';

/** Company domains that try to widen a HubSpot search, as crm-bridge's create-by-domain search sends them. */
const HOSTILE = [
  "' OR 1=1 --",
  'acme.example.com" OR "1"="1',
  'back\\slash.example.com',
  '*',
  '%',
  '.*',
  'zoë-ünïcödé.example.com',
  'line\nbreak.example.com',
];

describe('record values in a HubSpot search filter', () => {
  let hs: HubSpotSandbox;
  beforeAll(async () => {
    hs = await HubSpotSandbox.start({ seed: 5, limits: { searchPerSecond: 1000 } });
    hs.seed('companies', [
      { name: 'Target', domain: 'target.example.com' },
      ...HOSTILE.map((domain, i) => ({ name: `Hostile ${i}`, domain })),
    ]);
  });
  afterAll(async () => {
    await hs?.close();
  });

  const search = async (values: string[]) => {
    const answer = await fetch(`${hs.url}/crm/v3/objects/companies/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'IN', values }] }],
        properties: ['domain'],
        limit: 100,
      }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { results: { properties: { domain?: string } }[] };
    return body.results.map((r) => r.properties.domain);
  };

  it('match only the record holding exactly that value, never every record', async () => {
    for (const value of HOSTILE) expect(await search([value])).toEqual([value]);
    expect(await search(HOSTILE)).not.toContain('target.example.com');
    expect(await search(['target.example.com'])).toEqual(['target.example.com']);
  });
});
