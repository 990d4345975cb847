import { describe, expect, it } from 'vitest';
import { checked } from '../../connectors/hubspot/hubspot-schemas.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

describe('hubspot answer shapes', () => {
  it('passes a good page through, dropping keys it does not know', () => {
    const page = checked.page({
      results: [{ id: '1', properties: { email: 'a@x.com', phone: null }, extra: true }],
      paging: { next: { after: '2', link: '?after=2' } },
    });
    expect(page).toEqual({
      results: [{ id: '1', properties: { email: 'a@x.com', phone: null } }],
      paging: { next: { after: '2' } },
    });
  });

  it('refuses a broken answer as unavailable with the path that broke', () => {
    const broken = () => checked.page({ results: [{ id: 7, properties: {} }] });
    expect(broken).toThrow(ConnectorFailure);
    expect(broken).toThrow(/results\[0\]\.id|results\.0\.id/);
    try {
      broken();
    } catch (error) {
      expect(error).toMatchObject({ kind: 'unavailable', code: 'BAD_RESPONSE' });
    }
  });
});
