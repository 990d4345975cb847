import type { HubSpotBatch, HubSpotBatchError, HubSpotObject, WriteInput } from './hubspot-client.ts';

/** The batch call an answer belongs to. */
export type BatchAction = 'create' | 'update' | 'upsert';

/** Properties whose values HubSpot compares case-insensitively: e-mails, and domains (DNS names). */
const CASELESS = new Set(['email', 'domain']);

/** Properties that tell the records of one create batch apart when their value is unique in the batch. */
const IDENTIFYING = ['email', 'domain'] as const;

/** Whether two values of `property` name the same thing, compared the way HubSpot compares them. */
export function sameKey(
  property: string,
  a: string | null | undefined,
  b: string | null | undefined,
): boolean {
  if (a == null || b == null) return false;
  const x = a.trim();
  const y = b.trim();
  if (x === '' || y === '') return false;
  return CASELESS.has(property) ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/** The value of `property` an input writes or is keyed by (an upsert's `id` holds its `idProperty`'s value). */
function writtenValue(input: WriteInput, property: string): string | undefined {
  return input.idProperty === property ? input.id : input.properties[property];
}

/**
 * Whether a written value and the value HubSpot answered agree, allowing for HubSpot's normalising: blank and
 * null, letter case, number formatting (`1200` / `1200.0`), date formats (a date and its midnight timestamp).
 */
function agrees(sent: string, answered: string | null): boolean {
  const a = sent.trim();
  const b = (answered ?? '').trim();
  if (a === b || a.toLowerCase() === b.toLowerCase()) return true;
  if (a === '' || b === '') return false;
  const numbers = [Number(a), Number(b)];
  if (numbers.every(Number.isFinite)) return numbers[0] === numbers[1];
  const looksLikeDate = (s: string) => /^\d{4}-\d{2}-\d{2}/.test(s) || /^\d{12,}$/.test(s);
  if (!looksLikeDate(a) || !looksLikeDate(b)) return false;
  const ms = (s: string) => (/^\d+$/.test(s) ? Number(s) : Date.parse(s));
  return ms(a) === ms(b);
}

/** Whether every property of the input that the result shows has the value the input wrote (one at least). */
function sameContent(input: WriteInput, result: HubSpotObject): boolean {
  let compared = 0;
  for (const [name, value] of Object.entries(input.properties)) {
    if (!(name in result.properties)) continue;
    if (!agrees(value, result.properties[name] ?? null)) return false;
    compared++;
  }
  return compared > 0;
}

/** What a batch answer says about each input, by the input's `objectWriteTraceId` (its label in the batch). */
export interface BatchMatch {
  /** The result written for each input that has one. */
  readonly results: ReadonlyMap<string, HubSpotObject>;
  /** The error(s) reported for each input that has any. */
  readonly errors: ReadonlyMap<string, readonly HubSpotBatchError[]>;
  /** Results that name no input: their inputs were written, but which ones cannot be told. */
  readonly strayResults: readonly HubSpotObject[];
  /** Errors that name no input. */
  readonly strayErrors: readonly HubSpotBatchError[];
}

/**
 * Matches a batch answer's results and errors to the inputs they are about, by what identifies each input:
 * updates by record id, upserts by their `idProperty` value, creates by a value unique in the batch (e-mail,
 * domain), then by `objectWriteTraceId` where HubSpot echoes it (it is optional in HubSpot's answers), and last by
 * the values written when exactly one input agrees with a result. Never by position. An input is matched once;
 * an input matched soundly is no longer a candidate for the rest, so the passes repeat until nothing changes.
 */
export function matchBatch(
  action: BatchAction,
  inputs: readonly WriteInput[],
  batch: HubSpotBatch,
): BatchMatch {
  const byTrace = new Map(inputs.map((i) => [i.objectWriteTraceId, i]));
  const identified = identityIndex(inputs);
  const results = new Map<string, HubSpotObject>();
  const claimed = (input: WriteInput) => results.has(input.objectWriteTraceId);
  const only = (candidates: readonly WriteInput[]) => {
    const open = candidates.filter((c) => !claimed(c));
    return open.length === 1 ? open[0] : undefined;
  };
  const strategies: ((result: HubSpotObject) => WriteInput | undefined)[] = [
    (result) => only(identified(result)),
    (result) => {
      const input = result.objectWriteTraceId ? byTrace.get(result.objectWriteTraceId) : undefined;
      return input && !claimed(input) ? input : undefined;
    },
    (result) => only(inputs.filter((input) => sameContent(input, result))),
  ];
  let pending = [...batch.results];
  for (const strategy of strategies) {
    for (let progress = true; progress && pending.length > 0; ) {
      progress = false;
      pending = pending.filter((result) => {
        const input = strategy(result);
        if (!input) return true;
        results.set(input.objectWriteTraceId, result);
        progress = true;
        return false;
      });
    }
  }

  const errors = new Map<string, HubSpotBatchError[]>();
  const strayErrors: HubSpotBatchError[] = [];
  for (const error of batch.errors ?? []) {
    const named = inputs.filter((input) => !claimed(input) && errorNames(action, error, input));
    if (named.length === 0) strayErrors.push(error);
    for (const input of named)
      errors.set(input.objectWriteTraceId, [...(errors.get(input.objectWriteTraceId) ?? []), error]);
  }
  return { results, errors, strayResults: pending, strayErrors };
}

/** The key HubSpot compares a value of `property` by. */
const normal = (property: string, value: string): string =>
  CASELESS.has(property) ? value.trim().toLowerCase() : value.trim();

/**
 * Finds the input a result is the record of, by identity alone: an input keyed by an `idProperty` by that value,
 * an update by its record id, a create by an identifying value no other input of the batch shares.
 */
function identityIndex(inputs: readonly WriteInput[]): (result: HubSpotObject) => WriteInput[] {
  const keyed = new Map<string, WriteInput[]>();
  const add = (key: string, input: WriteInput) => keyed.set(key, [...(keyed.get(key) ?? []), input]);
  const counts = new Map<string, number>();
  const tag = (property: string, value: string) => `${property}\u0000${normal(property, value)}`;
  for (const input of inputs) {
    for (const property of IDENTIFYING) {
      const value = writtenValue(input, property);
      if (value?.trim()) counts.set(tag(property, value), (counts.get(tag(property, value)) ?? 0) + 1);
    }
  }
  for (const input of inputs) {
    if (input.idProperty !== undefined && input.idProperty !== 'hs_object_id' && input.id?.trim()) {
      add(`key:${tag(input.idProperty, input.id)}`, input);
    } else if (input.id !== undefined) {
      add(`id:${input.id}`, input);
    } else {
      for (const property of IDENTIFYING) {
        const value = writtenValue(input, property);
        if (value?.trim() && counts.get(tag(property, value)) === 1)
          add(`key:${tag(property, value)}`, input);
      }
    }
  }
  const keyProperties = new Set([
    ...IDENTIFYING,
    ...inputs.flatMap((i) => (i.idProperty !== undefined ? [i.idProperty] : [])),
  ]);
  return (result) => {
    const found = new Set(keyed.get(`id:${result.id}`) ?? []);
    for (const property of keyProperties) {
      const value = result.properties[property];
      if (value?.trim()) for (const input of keyed.get(`key:${tag(property, value)}`) ?? []) found.add(input);
    }
    return [...found];
  };
}

/** Whether a batch error names `input`: by trace id, by record id or upsert key (`ids`, `id`), or by a property. */
function errorNames(action: BatchAction, error: HubSpotBatchError, input: WriteInput): boolean {
  const context = error.context ?? {};
  const keyedBy = input.idProperty ?? 'hs_object_id';
  const sameId = (value: string) =>
    input.id !== undefined && (action === 'upsert' ? sameKey(keyedBy, input.id, value) : input.id === value);
  if ((context.objectWriteTraceId ?? []).includes(input.objectWriteTraceId)) return true;
  if (error.id !== undefined && (error.id === input.objectWriteTraceId || sameId(error.id))) return true;
  if ((context.ids ?? []).some(sameId)) return true;
  return Object.entries(context).some(
    ([property, values]) =>
      property !== 'objectWriteTraceId' &&
      property !== 'ids' &&
      values.some((value) => sameKey(property, writtenValue(input, property), value)),
  );
}
