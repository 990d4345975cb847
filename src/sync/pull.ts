import type { Connector, Cursor, ExternalRecord, Page } from '../connector/types.ts';
import { ASSOCIATION_PREFIX } from '../mapping/associations.ts';
import type { FieldFailure, InboundMapper, UnifiedRecords } from '../mapping/index.ts';
import type { EntityName } from '../model/index.ts';
import { keyOf, type NewQuarantineEntry } from '../store/index.ts';
import { durationMs, type SyncContext } from './context.ts';
import { fieldTable, objectsOf } from './field-table.ts';
import { resolveLinks } from './links.ts';
import { hashValues, project } from './projection.ts';
import { fieldIssue, held } from './quarantine-entries.ts';
import { ReadAhead } from './read-ahead.ts';

/** One pulled record, mapped. */
export interface Pulled<E extends EntityName = EntityName> {
  readonly connection: string;
  readonly object: string;
  readonly external: ExternalRecord;
  /** The mapped record; fields that could not be mapped are left out (see `issues`). */
  readonly unified: UnifiedRecords[E];
  /** Fields that could not be mapped. One with `hold` sets the record aside: it is matched, never written from. */
  readonly issues?: readonly FieldFailure[];
}

/**
 * One external record mapped, as a pulled record. One with fields that did not map still takes part: its identity
 * is what keeps its twin from being created again; its issues are reported when it is planned.
 */
export function mapPulled<E extends EntityName>(
  map: InboundMapper<E>,
  connection: string,
  object: string,
  external: ExternalRecord,
): Pulled<E> {
  const result = map(withAssociations(external));
  // Conversion is a fact of the record, not a mapped field: every connector reports it the same way.
  if (external.converted) (result.value as { converted?: unknown }).converted = external.converted;
  return result.ok
    ? { connection, object, external, unified: result.value }
    : { connection, object, external, unified: result.value, issues: result.failures };
}

/** The record with each type of its associations as an `@<type>` field, which a mapping may read. */
function withAssociations(external: ExternalRecord): ExternalRecord {
  if (external.associations === undefined) return external;
  const fields: Record<string, unknown> = { ...external.fields };
  for (const [type, ids] of Object.entries(external.associations))
    fields[`${ASSOCIATION_PREFIX}${type}`] = ids;
  return { ...external, fields };
}

/** Whether a pulled record is set aside whole: its identity still counts, its values are not synced. */
export const isHeld = (p: Pulled): boolean => p.issues?.some((f) => f.hold) === true;

/** The quarantine entries of a record's mapping failures: the record held, or fields left out. */
export function issueEntries(entity: EntityName, p: Pulled): NewQuarantineEntry[] {
  const at = { connection: p.connection, object: p.object, externalId: p.external.id };
  const whole = isHeld(p);
  return (p.issues ?? []).map((f) =>
    whole
      ? held(
          entity,
          at,
          f.unified,
          f.value,
          `${f.external}: ${f.reason}${f.hold ? '' : ' (record held for another field)'}`,
        )
      : fieldIssue(entity, at, f.unified, f.value, `${f.external}: ${f.reason}`),
  );
}

export interface PullOutcome<E extends EntityName> {
  /** Records that changed since the last round (echoes of crm-bridge's own writes left out). */
  readonly records: Pulled<E>[];
  readonly quarantined: NewQuarantineEntry[];
  /** Where each object's pull got to; saved only once the round's writes are done. */
  readonly cursors: { connection: string; object: string; cursor: Cursor }[];
  /** Records skipped because they hold exactly what crm-bridge last wrote to them. */
  echoes: number;
  /** Records read, per `connection/object`. */
  readonly read: Record<string, number>;
}

/**
 * Where a pull starts: strictly after the cursor, or earlier where a record the last pull could not see may sit. A
 * record committed late carries a modification time up to the overlap window older than the moment it could be
 * read, so one the last pull missed was changed at most `overlapMs` before that pull began (`pulledAt`, the CRM's
 * clock): the pull starts there when that is before the cursor. A cursor saved without `pulledAt` goes back by the
 * window from its newest change.
 */
export function withOverlap(cursor: Cursor | undefined, overlapMs: number): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const { modifiedAt, id, pulledAt } = cursor;
  const from = Date.parse(pulledAt ?? modifiedAt) - overlapMs;
  if (pulledAt !== undefined && Date.parse(modifiedAt) < from) return { modifiedAt, id };
  return { modifiedAt: new Date(from).toISOString(), id: '' };
}

/** Records of a connection read ahead while an earlier connection's pages are taken in. */
export const READ_AHEAD_RECORDS = 20_000;

/** What a connection's pull yields, object after object: where it starts, its pages, and when it began. */
type PullStep =
  | { readonly object: string; readonly saved: Cursor | undefined }
  | { readonly object: string; readonly page: Page<ExternalRecord> }
  | { readonly object: string; readonly pulledAt: string | undefined };

/** One connection's objects of an entity, pulled one after the other since their cursors. */
async function* connectionPull(
  ctx: SyncContext,
  entity: EntityName,
  connection: string,
  connector: Connector,
  overlapMs: number,
): AsyncGenerator<PullStep> {
  for (const object of objectsOf(ctx.config, entity, connection)) {
    const saved = await ctx.store.getCursor(connection, object);
    yield { object, saved };
    const since = withOverlap(saved, overlapMs);
    let pulledAt: string | undefined;
    // Only the associations the mapping reads (`@<type>` names): asking for none saves a call per page.
    const request = {
      fields: ctx.mapping.fieldsToRead(entity, connection, object),
      associations: ctx.mapping.associationsToRead(entity, connection, object),
      onPulledAt: (at: string) => {
        pulledAt = at;
      },
    };
    for await (const page of connector.pull(object, since === undefined ? request : { ...request, since }))
      yield { object, page };
    yield { object, pulledAt };
  }
}

/**
 * Pulls every object of an entity from both connections since its cursor, and maps each record. With `onPage`, each
 * page's changed records are handed to it instead of being kept in `records`.
 *
 * The connections' pages are taken in one connection after the other, in the pair's order, as before; but every
 * connection is read from the start: the one being taken in one page ahead, the later ones up to
 * READ_AHEAD_RECORDS ahead. So one CRM's pages come in while the other's are mapped and checked, and the second
 * CRM's budget is not left unused while the first is read.
 */
export async function pullEntity<E extends EntityName>(
  ctx: SyncContext,
  entity: E,
  onPage?: (records: Pulled<E>[]) => Promise<void>,
): Promise<PullOutcome<E>> {
  const outcome: PullOutcome<E> = { records: [], quarantined: [], cursors: [], echoes: 0, read: {} };
  const overlap = durationMs(ctx.config.sync.overlap);
  const weigh = (step: PullStep) => ('page' in step ? step.page.records.length : 0);
  const readers = ctx.config.sync.pair.map((connection, index) => {
    const connector = ctx.connectors[connection];
    if (connector === undefined) throw new Error(`no connector for connection ${connection}`);
    const steps = connectionPull(ctx, entity, connection, connector, overlap);
    return { connection, steps: new ReadAhead(steps, weigh, index === 0 ? 1 : READ_AHEAD_RECORDS) };
  });
  try {
    for (const { connection, steps } of readers) {
      steps.setLimit(1);
      // Set by each object's first step, which comes before its pages.
      let map: InboundMapper<E> | undefined;
      let table: ReturnType<typeof fieldTable> | undefined;
      let last: Cursor | undefined;
      for await (const step of steps) {
        const { object } = step;
        if ('saved' in step) {
          map = ctx.mapping.inbound(entity, connection, object);
          table = fieldTable(ctx.config, entity, connection, object);
          last = step.saved;
          continue;
        }
        if (map === undefined || table === undefined) throw new Error(`a page of ${object} before its start`);
        if ('pulledAt' in step) {
          // Saved with when this pull began, also when it read nothing: the next one's overlap is measured from it.
          const cursor =
            step.pulledAt === undefined || last === undefined ? last : { ...last, pulledAt: step.pulledAt };
          if (cursor !== undefined) outcome.cursors.push({ connection, object, cursor });
          continue;
        }
        const { page } = step;
        const mapped: Pulled<E>[] = [];
        for (const external of page.records) {
          if (external.deleted) continue;
          mapped.push(mapPulled(map, connection, object, external));
        }
        await resolveLinks(
          ctx.config,
          ctx.store,
          entity,
          mapped.map((p) => p.unified as Record<string, unknown>),
        );
        const written = await ctx.store.writtenHashes(
          mapped.map((p) => ({ connection, object, externalId: p.external.id })),
        );
        const changed: Pulled<E>[] = [];
        for (const p of mapped) {
          const hash = written.get(keyOf({ connection, object, externalId: p.external.id }));
          if (hash !== undefined && hash === hashValues(project(p.unified, table))) outcome.echoes++;
          else changed.push(p);
        }
        if (onPage === undefined) outcome.records.push(...changed);
        else if (changed.length > 0) await onPage(changed);
        outcome.read[`${connection}/${object}`] =
          (outcome.read[`${connection}/${object}`] ?? 0) + page.records.length;
        ctx.onProgress?.({
          kind: 'pulled',
          entity,
          target: `${connection}/${object}`,
          records: page.records.length,
        });
        if (page.cursor !== undefined) last = page.cursor;
      }
    }
  } finally {
    // After a failure the other connections' pulls stop where they are.
    await Promise.all(readers.map(({ steps }) => steps.stop()));
  }
  return outcome;
}
