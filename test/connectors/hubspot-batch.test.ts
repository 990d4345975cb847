import { describe, expect, it } from 'vitest';
import { type InputOutcome, outcomesOf, sendBatch } from '../../connectors/hubspot/hubspot-batch.ts';
import type { Call } from '../../connectors/hubspot/hubspot-call.ts';
import type { HubSpotApi, WriteInput } from '../../connectors/hubspot/hubspot-client.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

/** A HubSpot that refuses any batch holding a bad input as a whole (as it does without trace ids). */
function refusingApi(sent: number[]): HubSpotApi {
  const create = async (_type: string, inputs: readonly WriteInput[]) => {
    sent.push(inputs.length);
    const bad = inputs.find((i) => i.properties.email?.includes('bad'));
    if (bad) {
      throw new ConnectorFailure({
        kind: 'invalid',
        message: `Email address ${bad.properties.email} is invalid`,
        code: 'INVALID_EMAIL',
      });
    }
    return {
      results: inputs.map((i) => ({
        id: `id-${i.objectWriteTraceId}`,
        properties: {},
        objectWriteTraceId: i.objectWriteTraceId,
      })),
    };
  };
  return { batchCreate: create } as unknown as HubSpotApi;
}

describe('hubspot batches', () => {
  it('halves a batch refused as a whole until the bad input stands alone', async () => {
    const sent: number[] = [];
    const api = refusingApi(sent);
    const call: Call = (_kind, run) => run(api);
    const inputs = Array.from({ length: 8 }, (_, i) => ({
      objectWriteTraceId: String(i),
      properties: { email: i === 5 ? 'bad' : `p${i}@example.com` },
    }));
    const outcomes = await sendBatch(call, 'create', 'contacts', inputs);
    expect([...outcomes.entries()].filter(([, o]) => !o.ok).map(([t]) => t)).toEqual(['5']);
    expect(outcomes.get('5')).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'INVALID_EMAIL' } });
    expect(outcomes.get('0')).toEqual({ ok: true, id: 'id-0', created: true });
    expect(sent).toEqual([8, 4, 4, 2, 1, 1, 2]);
  });
});

describe('matching a batch answer to its inputs', () => {
  const object = (id: string, properties: Record<string, string | null>, trace?: string) => ({
    id,
    properties,
    ...(trace !== undefined ? { objectWriteTraceId: trace } : {}),
  });
  const summary = (outcomes: Map<string, InputOutcome>) =>
    Object.fromEntries(
      [...outcomes].map(([k, o]) => [k, o.ok ? o.id : `${o.error.kind}: ${o.error.message}`]),
    );

  it('never matches by position: reversed results without trace ids find their inputs', () => {
    const inputs: WriteInput[] = [
      { objectWriteTraceId: '0', id: 'Ana@Example.com', idProperty: 'email', properties: { lastname: 'A' } },
      { objectWriteTraceId: '1', id: 'bo@example.com', idProperty: 'email', properties: { lastname: 'B' } },
    ];
    const outcomes = outcomesOf('upsert', inputs, {
      results: [object('20', { email: 'bo@example.com' }), object('10', { email: 'ana@example.com' })],
    });
    expect(summary(outcomes)).toEqual({ '0': '10', '1': '20' });
  });

  it('uses the trace id where nothing else tells, and the written values where neither does', () => {
    const deal = (trace: string, dealname: string): WriteInput => ({
      objectWriteTraceId: trace,
      properties: { dealname, amount: '100' },
    });
    const inputs = [deal('0', 'One'), deal('1', 'Two'), deal('2', 'Three')];
    const outcomes = outcomesOf('create', inputs, {
      results: [
        object('7', { dealname: 'Three', amount: '100.0' }),
        object('8', { dealname: 'One', amount: '100' }, '0'),
        object('9', { dealname: 'Two', amount: '100' }),
      ],
    });
    expect(summary(outcomes)).toEqual({ '0': '8', '1': '9', '2': '7' });
  });

  it('reports inputs it cannot tell apart as possibly written, never as matched', () => {
    const inputs: WriteInput[] = [
      { objectWriteTraceId: '0', properties: { dealname: 'Same' } },
      { objectWriteTraceId: '1', properties: { dealname: 'Same' } },
    ];
    const outcomes = outcomesOf('create', inputs, {
      results: [object('7', { dealname: 'Same' }), object('8', { dealname: 'Same' })],
    });
    expect(Object.values(summary(outcomes))).toEqual([
      expect.stringMatching(/^unavailable: HubSpot wrote 2 record\(s\) of this batch without saying which/),
      expect.stringMatching(/^unavailable: HubSpot wrote 2 record/),
    ]);
  });

  it('names failed inputs by the context HubSpot gives: ids, e-mail, trace id', () => {
    const inputs: WriteInput[] = [
      { objectWriteTraceId: '0', id: '11', properties: { lastname: 'A' } },
      { objectWriteTraceId: '1', id: '12', properties: { email: 'taken@example.com' } },
      { objectWriteTraceId: '2', id: '13', properties: { lastname: 'C' } },
      { objectWriteTraceId: '3', id: '14', properties: { lastname: 'D' } },
    ];
    const error = (context: Record<string, string[]>, category = 'VALIDATION_ERROR') => ({
      category,
      message: 'refused',
      context,
    });
    const outcomes = outcomesOf('update', inputs, {
      results: [object('14', { lastname: 'D' })],
      errors: [
        error({ ids: ['11'] }, 'OBJECT_NOT_FOUND'),
        error({ email: ['TAKEN@example.com'] }, 'CONFLICT'),
        error({ objectWriteTraceId: ['2'] }),
      ],
    });
    expect([...outcomes].map(([k, o]) => [k, o.ok ? o.id : o.error.kind])).toEqual([
      ['3', '14'],
      ['0', 'not-found'],
      ['1', 'conflict'],
      ['2', 'invalid'],
    ]);
  });
});
