import type { ApiFigures } from '../store/index.ts';

/**
 * The most records one call reads, per system: Salesforce's REST query page (2,000), HubSpot's search page (200; its
 * list page, used for a full load, takes 100), Pipedrive's list page (500). A system not listed counts 100.
 */
export const PAGE_SIZES: Readonly<Record<string, number>> = {
  salesforce: 2000,
  hubspot: 200,
  pipedrive: 500,
};

/** What one connection's part of a round needed: records read and written per object, people converted. */
export interface ApiNeeds {
  readonly connection: string;
  readonly system: string;
  /** The API calls the connector counted; absent where it does not count them. */
  readonly calls: number | undefined;
  /** Records read per object (every object pulled costs at least one call, even when nothing changed). */
  readonly readByObject: Readonly<Record<string, number>>;
  /** Records written (created or updated) per object. */
  readonly writtenByObject: Readonly<Record<string, number>>;
  readonly converted: number;
  /** The system's write batch size (its descriptor's `batchSize`). */
  readonly batchSize: number;
}

/**
 * The fewest calls the round's data needs from one connection:
 * Σ per object pulled ⌈read / page size⌉ (at least 1) + Σ per object written ⌈written / batch size⌉ +
 * ⌈converted / batch size⌉. Describe calls, associations and delete checks come on top of it.
 */
export function apiFigures(needs: ApiNeeds): ApiFigures {
  const pageSize = PAGE_SIZES[needs.system] ?? 100;
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const pages = Object.values(needs.readByObject).reduce(
    (n, read) => n + Math.max(1, Math.ceil(read / pageSize)),
    0,
  );
  const batches = Object.values(needs.writtenByObject).reduce(
    (n, written) => n + Math.ceil(written / needs.batchSize),
    0,
  );
  return {
    connection: needs.connection,
    system: needs.system,
    ...(needs.calls === undefined ? {} : { calls: needs.calls }),
    minimum: pages + batches + Math.ceil(needs.converted / needs.batchSize),
    pageSize,
    batchSize: needs.batchSize,
    read: sum(needs.readByObject),
    written: sum(needs.writtenByObject),
    converted: needs.converted,
  };
}
