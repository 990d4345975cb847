import type { ConnectorError } from '../../src/connector/errors.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { Call } from './hubspot-call.ts';
import type { HubSpotApi, HubSpotBatch, WriteInput } from './hubspot-client.ts';
import { fromBatchError } from './hubspot-errors.ts';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;

export type BatchAction = 'create' | 'update' | 'upsert';

/** The outcome for one input, keyed by its `objectWriteTraceId`. */
export type InputOutcome =
  | { readonly ok: true; readonly id: string; readonly created: boolean }
  | { readonly ok: false; readonly error: ConnectorError };

const send = (api: HubSpotApi, action: BatchAction, type: string, inputs: readonly WriteInput[]) =>
  action === 'create'
    ? api.batchCreate(type, inputs)
    : action === 'update'
      ? api.batchUpdate(type, inputs)
      : api.batchUpsert(type, inputs);

/**
 * Sends one batch (≤ 100 inputs, each with a distinct `objectWriteTraceId` so that HubSpot answers a 207 with
 * per-input errors instead of refusing the whole batch) and returns an outcome per trace id. If HubSpot still
 * refuses the whole batch as invalid or conflicting, the batch is halved and retried until the refused input is
 * alone, so the valid inputs are written and the bad one gets its reason.
 */
export async function sendBatch(
  call: Call,
  action: BatchAction,
  type: string,
  inputs: readonly WriteInput[],
): Promise<Map<string, InputOutcome>> {
  const out = new Map<string, InputOutcome>();
  let batch: HubSpotBatch;
  try {
    batch = await call('standard', (api) => send(api, action, type, inputs));
  } catch (error) {
    if (!(error instanceof ConnectorFailure) || (error.kind !== 'invalid' && error.kind !== 'conflict'))
      throw error;
    if (inputs.length === 1) {
      const only = inputs[0] as WriteInput;
      out.set(only.objectWriteTraceId, {
        ok: false,
        error: {
          kind: error.kind,
          message: error.message,
          ...(error.code ? { code: error.code } : {}),
          ...(error.fields ? { fields: error.fields } : {}),
        },
      });
      return out;
    }
    const half = Math.ceil(inputs.length / 2);
    for (const part of [inputs.slice(0, half), inputs.slice(half)]) {
      for (const [k, v] of await sendBatch(call, action, type, part)) out.set(k, v);
    }
    return out;
  }
  for (const result of batch.results) {
    const trace = result.objectWriteTraceId ?? traceById(inputs, result.id);
    if (trace !== undefined)
      out.set(trace, { ok: true, id: result.id, created: action === 'create' || result._new === true });
  }
  for (const error of batch.errors ?? []) {
    const traces = error.context?.objectWriteTraceId ?? (error.id ? [error.id] : []);
    const ids = error.context?.ids ?? [];
    const matched = [
      ...traces,
      ...ids.map((id) => traceById(inputs, id)).filter((t): t is string => t !== undefined),
    ];
    for (const trace of matched) out.set(trace, { ok: false, error: fromBatchError(error) });
  }
  for (const input of inputs) {
    if (!out.has(input.objectWriteTraceId)) {
      out.set(input.objectWriteTraceId, {
        ok: false,
        error: { kind: 'unavailable', message: 'HubSpot did not report on this record; write it again' },
      });
    }
  }
  return out;
}

function traceById(inputs: readonly WriteInput[], id: string): string | undefined {
  return inputs.find((i) => i.id === id && i.idProperty === undefined)?.objectWriteTraceId;
}
