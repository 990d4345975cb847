import type { ConnectorError } from '../../src/connector/errors.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import { type BatchAction, matchBatch } from './hubspot-batch-match.ts';
import type { Call } from './hubspot-call.ts';
import type { HubSpotApi, HubSpotBatch, HubSpotBatchError, WriteInput } from './hubspot-client.ts';
import { fromBatchError } from './hubspot-errors.ts';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;

export type { BatchAction } from './hubspot-batch-match.ts';

/** The outcome for one input, keyed by the `objectWriteTraceId` the input was sent with (its label here). */
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
 * per-input errors instead of refusing the whole batch) and returns an outcome per input, keyed by that trace id
 * but matched by what identifies the input, since HubSpot's answers may leave the trace id out. If HubSpot still
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
  return outcomesOf(action, inputs, batch);
}

/**
 * One outcome per input from a batch answer, matched by what identifies each input (see `matchBatch`). Inputs
 * that no result or error names are deduced where that is sound: when every result found its input and as many
 * errors as inputs are left unnamed, those inputs are the ones that failed. Otherwise they are reported as not
 * known to be written, to be written again.
 */
export function outcomesOf(
  action: BatchAction,
  inputs: readonly WriteInput[],
  batch: HubSpotBatch,
): Map<string, InputOutcome> {
  const match = matchBatch(action, inputs, batch);
  const out = new Map<string, InputOutcome>();
  for (const [trace, result] of match.results) {
    out.set(trace, { ok: true, id: result.id, created: action === 'create' || result._new === true });
  }
  for (const [trace, errors] of match.errors) {
    out.set(trace, { ok: false, error: fromBatchErrors(errors) });
  }
  const left = inputs.filter((i) => !out.has(i.objectWriteTraceId));
  const failedUnnamed =
    match.strayResults.length === 0 &&
    match.strayErrors.length > 0 &&
    match.strayErrors.length === left.length;
  for (const input of left) {
    out.set(input.objectWriteTraceId, {
      ok: false,
      error: failedUnnamed
        ? fromBatchErrors(match.strayErrors, left.length)
        : {
            kind: 'unavailable',
            message:
              match.strayResults.length > 0
                ? `HubSpot wrote ${match.strayResults.length} record(s) of this batch without saying which, and this one may be among them; write it again`
                : 'HubSpot did not report on this record; write it again',
          },
    });
  }
  return out;
}

/**
 * The error of an input from the batch errors about it. `among` > 1: HubSpot refused that many inputs, this one
 * among them, without naming which error is whose.
 */
function fromBatchErrors(errors: readonly HubSpotBatchError[], among = 1): ConnectorError {
  const [first, ...rest] = errors.map(fromBatchError);
  if (!first) return { kind: 'invalid', message: 'HubSpot refused the record' };
  if (rest.length === 0 && among === 1) return first;
  const all = [first, ...rest];
  const kind = all.every((e) => e.kind === first.kind) ? first.kind : 'invalid';
  const fields = [...new Set(all.flatMap((e) => e.fields ?? []))];
  const messages = all.map((e) => e.message).join('; ');
  return {
    kind,
    message:
      among > 1
        ? `HubSpot refused ${among} records of this batch, this one among them, without saying which reason is whose: ${messages}`
        : messages,
    ...(all.every((e) => e.code === first.code) && first.code ? { code: first.code } : {}),
    ...(fields.length > 0 ? { fields } : {}),
  };
}
