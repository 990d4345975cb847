import type { ConnectorError } from '../../src/connector/errors.ts';
import type { Call } from './hubspot-call.ts';
import { fromBatchError } from './hubspot-errors.ts';

const READ_LIMIT = 1000;
const CREATE_LIMIT = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Associated ids of `ids` in each of `targets`, one v4 batch read per target type (ids without associations are
 * simply absent: HubSpot reports them as errors of a 207, which mean "none"). A record with more associations than
 * the batch read's page holds is read on, page by page, until HubSpot's paging ends.
 */
export async function readAssociations(
  call: Call,
  fromType: string,
  ids: readonly string[],
  targets: readonly string[],
): Promise<Map<string, Record<string, string[]>>> {
  const out = new Map<string, Record<string, string[]>>();
  if (ids.length === 0) return out;
  for (const to of targets) {
    for (const part of chunks(ids, READ_LIMIT)) {
      const { results } = await call('standard', (api) => api.readAssociations(fromType, to, part));
      for (const row of results) {
        const entry = out.get(row._from.id) ?? {};
        const found = row.to.map((t) => String(t.toObjectId));
        for (let after = row.paging?.next?.after; after !== undefined; ) {
          const from = row._from.id;
          const next = after;
          const page = await call('standard', (api) => api.associationPage(fromType, from, to, next));
          found.push(...page.results.map((t) => String(t.toObjectId)));
          after = page.paging?.next?.after;
        }
        entry[to] = found;
        out.set(row._from.id, entry);
      }
    }
  }
  return out;
}

/** One association to write: `from` (of the written type) to `to` of type `toType`. */
export interface AssociationWrite {
  /** Id of the record of the written type. */
  readonly from: string;
  /** The associated object type. */
  readonly toType: string;
  /** Id of the associated record. */
  readonly to: string;
}

/**
 * Writes associations with HubSpot's default type, batched per target type; returns the failures by source id.
 */
export async function writeAssociations(
  call: Call,
  fromType: string,
  links: readonly AssociationWrite[],
): Promise<Map<string, ConnectorError>> {
  const failed = new Map<string, ConnectorError>();
  const byType = Map.groupBy(links, (l) => l.toType);
  for (const [toType, group] of byType) {
    for (const part of chunks(group, CREATE_LIMIT)) {
      const result = await call('standard', (api) =>
        api.associateDefault(
          fromType,
          toType,
          part.map((l) => [l.from, l.to] as const),
        ),
      );
      for (const error of result.errors ?? []) {
        // HubSpot names the pair in the error's context; an error that names neither side fails every link of
        // the call, since the SDK drops the results of a 207 here and which links were written cannot be told.
        const from = error.context?.fromObjectId;
        const to = error.context?.toObjectId;
        const problem = fromBatchError(error);
        for (const link of part) {
          if (
            (from === undefined || from.includes(link.from)) &&
            (to === undefined || to.includes(link.to))
          ) {
            failed.set(link.from, {
              ...problem,
              message: `associating ${fromType} ${link.from} with ${toType} ${link.to} failed: ${problem.message}`,
            });
          }
        }
      }
    }
  }
  return failed;
}

export { chunks };
