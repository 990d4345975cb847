import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { lead } from './salesforce-harness.ts';

/** The sandbox seen through a bare jsforce Connection, as any Salesforce client would see it. */
describe('the Salesforce sandbox', () => {
  let sandbox: SalesforceSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const connect = async (options: Parameters<typeof startSalesforceSandbox>[0] = {}) => {
    sandbox = await startSalesforceSandbox(options);
    return new jsforce.Connection({
      instanceUrl: sandbox.url,
      accessToken: sandbox.accessToken,
      version: '62.0',
    });
  };

  it('reports API usage in Sforce-Limit-Info and the limits resource', async () => {
    const conn = await connect({ dailyLimit: 5000 });
    await conn.describe('Lead');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 5000 });
    const limits = (await conn.limits()) as unknown as {
      DailyApiRequests: { Max: number; Remaining: number };
    };
    expect(limits.DailyApiRequests).toEqual({ Max: 5000, Remaining: 4998 });
  });

  it('rolls back every record of an allOrNone collection with one failure, and refuses more than 200', async () => {
    const conn = await connect();
    const results = await conn
      .sobject('Lead')
      .create([lead(1), { LastName: 'No Company' }], { allOrNone: true });
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(JSON.stringify(results[0])).toContain('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(sandbox?.count('Lead')).toBe(0);
    const tooMany = Array.from({ length: 201 }, (_, i) => lead(i));
    await expect(conn.sobject('Lead').create(tooMany)).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
    });
  });

  it('enforces max lengths and types, and lists deleted records by date', async () => {
    const conn = await connect();
    const [tooLong, wrongType] = await conn.sobject('Lead').create([
      { ...lead(1), FirstName: 'x'.repeat(41) },
      { ...lead(2), NumberOfEmployees: 'many' },
    ]);
    expect(tooLong?.errors).toMatchObject([{ statusCode: 'STRING_TOO_LONG', fields: ['FirstName'] }]);
    expect(wrongType?.errors).toMatchObject([{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' }]);
    const ids = sandbox?.seed('Lead', [lead(3), lead(4)]) ?? [];
    const start = new Date(Date.now() - 60_000);
    sandbox?.remove('Lead', [ids[0] as string]);
    const deleted = await conn.sobject('Lead').deleted(start, new Date(Date.now() + 60_000));
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([ids[0]]);
  });

  it('answers injected faults as Salesforce does and counts every call', async () => {
    const conn = await connect();
    sandbox?.setFaults({ rateLimited: 1 });
    await expect(conn.sobject('Lead').create([lead(1)])).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    sandbox?.setFaults({ lock: 1 });
    const [locked] = await conn.sobject('Lead').create([lead(1)]);
    expect(locked?.errors).toMatchObject([{ statusCode: 'UNABLE_TO_LOCK_ROW' }]);
    expect(sandbox?.calls('collections:create')).toBe(2);
  });

  it('refuses an expired session on REST and on SOAP', async () => {
    const conn = await connect();
    sandbox?.expireToken();
    await expect(conn.describe('Lead')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    await expect(
      conn.soap.convertLead({
        leadId: 'x',
        convertedStatus: 'Closed - Converted',
        doNotCreateOpportunity: true,
      } as never),
    ).rejects.toMatchObject({ errorCode: 'sf:INVALID_SESSION_ID' });
  });

  it('refuses to compare an id or reference field with a string that is no record id, as Salesforce does', async () => {
    const conn = await connect();
    const [id] = sandbox?.seed('Lead', [lead(1)]) ?? [];
    for (const [where, value] of [
      ["Id > ''", ''],
      ["Id = 'null'", 'null'],
      ["Id IN ('00Q000000000001', 'lead-1')", 'lead-1'],
      ["ConvertedAccountId != 'acme'", 'acme'],
      ["(SystemModstamp > 2026-01-01T00:00:00Z OR Id > '00Q00000000001')", '00Q00000000001'],
    ]) {
      const refused = conn.query(`SELECT Id FROM Lead WHERE ${where}`);
      await expect(refused, where).rejects.toMatchObject({
        errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
        data: { message: `invalid ID field: ${value}` },
      });
    }
    const ok = await conn.query(
      `SELECT Id FROM Lead WHERE Id = '${id}' OR Id = '${id?.slice(0, 15)}' OR ConvertedAccountId = null`,
    );
    expect(ok.records.map((r) => r.Id)).toEqual([id]);
  });
});
