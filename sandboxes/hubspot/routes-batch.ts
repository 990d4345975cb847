import type { SandboxResponse } from '../kit/index.ts';
import { targetOf } from './associations.ts';
import { errorResponse, notFound, type RecordError, recordErrorResponse, validationError } from './errors.ts';
import { objectJson } from './object-json.ts';
import { arrayOf, bodyOf, type Register } from './router.ts';
import { type HubSpotStore, isError, type StoredObject } from './store.ts';

/** HubSpot's batch endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;

interface Input {
  readonly id?: string;
  readonly idProperty?: string;
  readonly objectWriteTraceId?: string;
  readonly properties?: Record<string, unknown>;
  readonly associations?: readonly { to?: { id?: string }; types?: { associationTypeId?: number }[] }[];
}

type Outcome = { object: StoredObject; created?: boolean } | RecordError;

/** How the batch endpoints answer. */
export interface BatchAnswers {
  /**
   * Leave `objectWriteTraceId` out of every result and error, as HubSpot may (it is optional in its answers): a
   * client then has to tell the records apart by what identifies them.
   */
  readonly omitTraceIds?: boolean;
}

/**
 * Batch read/create/update/upsert. As in HubSpot, a batch whose inputs all carry a distinct `objectWriteTraceId`
 * answers 207 with an error per failed input and writes the rest; otherwise any failure refuses the whole batch
 * (nothing is written) with that input's error. A write's result shows the properties it wrote (with the record's
 * id, create date and last-modified date), as HubSpot's do.
 */
export function batchRoutes(register: Register, store: HubSpotStore, answers: BatchAnswers = {}): void {
  const echoTraces = answers.omitTraceIds !== true;
  const shape = (type: string): Shape => ({ echo: echoTraces, defs: store.defs.get(type) });
  const route = (
    action: string,
    run: (type: string, inputs: Input[], body: Record<string, unknown>) => SandboxResponse,
  ) =>
    register(
      'POST',
      `/crm/v3/objects/:type/batch/${action}`,
      `POST /crm/v3/objects/batch/${action}`,
      (req) => {
        const type = req.params.type ?? '';
        if (!store.defs.has(type))
          return errorResponse(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
        const body = bodyOf(req.json);
        const inputs = arrayOf<Input>(body.inputs);
        if (inputs.length > BATCH_LIMIT) {
          return validationError(`Batch input has a limit of ${BATCH_LIMIT} inputs; got ${inputs.length}`);
        }
        return run(type, inputs, body);
      },
    );

  // As in HubSpot: 204, and ids that do not exist (or are archived already) are ignored.
  route('archive', (type, inputs) => {
    for (const input of inputs) store.archive(type, String(input.id ?? ''));
    return { status: 204 };
  });

  route('read', (type, inputs, body) => {
    const properties = arrayOf<string>(body.properties);
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const outcomes = inputs.map((input): Outcome => {
      const object = store.findBy(type, idProperty, String(input.id ?? ''));
      return object ? { object } : notFound(type, String(input.id ?? ''));
    });
    return respond(outcomes, inputs, () => properties, 200, true, shape(type));
  });

  route('create', (type, inputs) =>
    write(
      shape(type),
      inputs,
      201,
      (input) => store.validate(type, undefined, input.properties ?? {}),
      (input) => {
        const created = store.create(type, input.properties ?? {});
        if (isError(created)) return created;
        for (const link of input.associations ?? []) {
          const to = targetOf(type, link.types?.[0]?.associationTypeId ?? -1);
          if (to && link.to?.id && store.get(to, link.to.id))
            store.associate(type, created.id, to, link.to.id);
        }
        return { object: created };
      },
    ),
  );

  route('update', (type, inputs) =>
    write(
      shape(type),
      inputs,
      200,
      (input) => store.validate(type, findId(type, input), input.properties ?? {}),
      (input) => {
        const updated = store.update(type, findId(type, input) ?? '', input.properties ?? {});
        return isError(updated) ? updated : { object: updated };
      },
    ),
  );

  route('upsert', (type, inputs) => {
    const keys = inputs.map((i) => String(i.id ?? '').toLowerCase());
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    if (dupes.length > 0) {
      return validationError(`Duplicate IDs found in batch input: [${dupes.join(', ')}]. IDs must be unique`);
    }
    for (const input of inputs) {
      const def = input.idProperty ? store.defs.get(type)?.get(input.idProperty) : undefined;
      if (input.idProperty && !def?.hasUniqueValue) {
        return validationError(
          `${input.idProperty} is not a unique property and cannot be used as an idProperty`,
        );
      }
    }
    const withKey = (input: Input) =>
      input.idProperty ? { ...input.properties, [input.idProperty]: input.id } : (input.properties ?? {});
    return write(
      shape(type),
      inputs,
      200,
      (input) => {
        const found = store.findBy(type, input.idProperty, String(input.id ?? ''));
        return store.validate(type, found?.id, withKey(input));
      },
      (input) => {
        const found = store.findBy(type, input.idProperty, String(input.id ?? ''));
        const result = found
          ? store.update(type, found.id, withKey(input))
          : store.create(type, withKey(input));
        return isError(result) ? result : { object: result, created: !found };
      },
    );
  });

  function findId(type: string, input: Input): string | undefined {
    return store.findBy(type, input.idProperty, String(input.id ?? ''))?.id ?? String(input.id ?? '');
  }
}

function write(
  shape: Shape,
  inputs: Input[],
  okStatus: number,
  validate: (input: Input) => RecordError | undefined,
  apply: (input: Input) => Outcome,
): SandboxResponse {
  const traces = inputs.map((i) => i.objectWriteTraceId);
  const traced = traces.every((t) => t !== undefined) && new Set(traces).size === traces.length;
  if (!traced) {
    for (const input of inputs) {
      const error = validate(input);
      if (error) return recordErrorResponse(error);
    }
  }
  const written = (input: Input) => [
    ...Object.keys(input.properties ?? {}),
    ...(input.idProperty ? [input.idProperty] : []),
  ];
  return respond(inputs.map(apply), inputs, written, okStatus, traced, shape);
}

/** How results are shown: with their input's `objectWriteTraceId` or not, and which properties exist. */
interface Shape {
  readonly echo: boolean;
  readonly defs: ReadonlyMap<string, unknown> | undefined;
}

function respond(
  outcomes: Outcome[],
  inputs: Input[],
  properties: (input: Input) => readonly string[],
  okStatus: number,
  multiStatus: boolean,
  shape: Shape,
): SandboxResponse {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  outcomes.forEach((outcome, i) => {
    const input = inputs[i] ?? {};
    const trace = shape.echo ? input.objectWriteTraceId : undefined;
    if (isError(outcome)) {
      if (!multiStatus) return;
      errors.push({
        status: 'error',
        category: outcome.category,
        message: outcome.message,
        errors: outcome.errors ?? [],
        context: { ...outcome.context, ...(trace !== undefined ? { objectWriteTraceId: [trace] } : {}) },
        links: {},
      });
      return;
    }
    results.push({
      ...objectJson(outcome.object, properties(input), shape.defs),
      ...(outcome.created !== undefined ? { new: outcome.created } : {}),
      ...(trace !== undefined ? { objectWriteTraceId: trace } : {}),
    });
  });
  const at = new Date().toISOString();
  return {
    status: errors.length > 0 ? 207 : okStatus,
    body: {
      status: 'COMPLETE',
      results,
      ...(errors.length > 0 ? { errors, numErrors: errors.length } : {}),
      startedAt: at,
      completedAt: at,
    },
  };
}
