import { describe, expect, it } from 'vitest';
import { PipedriveConnection, pipedrive } from '../../connectors/pipedrive/index.ts';

describe('Pipedrive connection block', () => {
  it('takes the token only as an env: reference, and defaults the address and plan', () => {
    expect(PipedriveConnection.parse({ system: 'pipedrive' })).toEqual({
      system: 'pipedrive',
      baseUrl: 'env:PIPEDRIVE_BASE_URL',
      apiToken: 'env:PIPEDRIVE_API_TOKEN',
      plan: 'essential',
    });
    const literal = PipedriveConnection.safeParse({ system: 'pipedrive', apiToken: 'abc123secret' });
    expect(literal.success).toBe(false);
    expect(JSON.stringify(literal.error?.issues)).not.toContain('abc123secret');
    expect(PipedriveConnection.safeParse({ system: 'pipedrive', plan: 'gold' }).success).toBe(false);
  });

  it('builds a connector from a resolved connection, refusing a company domain that is not a subdomain', () => {
    const connector = pipedrive.create({
      system: 'pipedrive',
      baseUrl: undefined,
      companyDomain: 'acme',
      apiToken: 'token',
      plan: 'advanced',
    });
    expect(connector.system).toBe('pipedrive');
    expect(() =>
      pipedrive.create({
        system: 'pipedrive',
        baseUrl: undefined,
        companyDomain: 'acme.evil.com/x',
        apiToken: 't',
        plan: 'essential',
      }),
    ).toThrow(/is not a subdomain/);
    expect(() =>
      pipedrive.create({
        system: 'pipedrive',
        baseUrl: undefined,
        companyDomain: undefined,
        apiToken: undefined,
        plan: 'essential',
      }),
    ).toThrow(/needs an API token/);
  });
});
