import { describe, expect, it } from 'vitest';
import { sendBatch } from '../../connectors/hubspot/hubspot-batch.ts';
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
