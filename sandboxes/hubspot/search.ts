import type { SandboxResponse } from '../kit/index.ts';
import { validationError } from './errors.ts';
import { objectJson } from './object-json.ts';
import type { HubSpotStore, StoredObject } from './store.ts';
import { parseTime } from './validate.ts';

interface Filter {
  readonly propertyName: string;
  readonly operator: string;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly highValue?: string;
}

interface SearchBody {
  readonly filterGroups?: readonly { readonly filters: readonly Filter[] }[];
  readonly sorts?: readonly (string | { readonly propertyName: string; readonly direction?: string })[];
  readonly properties?: readonly string[];
  readonly limit?: number;
  readonly after?: string;
  readonly query?: string;
}

/** HubSpot's search refuses to page past this many results (HTTP 400). */
export const SEARCH_CAP = 10_000;
const MAX_LIMIT = 200;

type Kind = 'number' | 'text';

/**
 * `POST /crm/v3/objects/:type/search`: filter groups (OR of ANDs), one sort, offset paging with `after`, at most
 * 200 per page and 10,000 in all. Records that tie on the sort key come back in a fixed but scrambled order (not by
 * id), as a search index gives no promise about ties.
 */
export function search(store: HubSpotStore, type: string, body: SearchBody): SandboxResponse {
  const limit = body.limit ?? 10;
  if (limit > MAX_LIMIT) return validationError(`limit must be at most ${MAX_LIMIT}; got ${limit}`);
  const groups = body.filterGroups ?? [];
  if (groups.length > 5 || groups.some((g) => g.filters.length > 6)) {
    return validationError('Too many filter groups or filters: at most 5 groups of 6 filters');
  }
  if ((body.sorts ?? []).length > 1) return validationError('Only one sort is supported');
  const offset = Number(body.after ?? '0');
  if (!Number.isInteger(offset) || offset < 0) return validationError(`Invalid after: ${body.after}`);
  if (offset >= SEARCH_CAP) {
    return validationError(`Cannot page past ${SEARCH_CAP} results. Refine the search to page further.`);
  }
  const kinds = store.defs.get(type);
  const kindOf = (name: string): Kind => {
    const t = kinds?.get(name)?.type;
    return t === 'number' || t === 'datetime' || t === 'date' ? 'number' : 'text';
  };
  const matches = store
    .all(type)
    .filter(
      (o) =>
        groups.length === 0 || groups.some((g) => g.filters.every((f) => test(o, f, kindOf(f.propertyName)))),
    );
  const sort = body.sorts?.[0];
  const sortName = typeof sort === 'string' ? sort.replace(/^-/, '') : (sort?.propertyName ?? 'hs_object_id');
  const descending = typeof sort === 'string' ? sort.startsWith('-') : sort?.direction === 'DESCENDING';
  const kind = kindOf(sortName);
  const keyed = matches.map((o) => ({ o, key: sortKey(o, sortName, kind), tie: scramble(o.id) }));
  keyed.sort((a, b) => {
    const c = compare(a.key, b.key);
    return (descending ? -c : c) || a.tie - b.tie;
  });
  const page = keyed.slice(offset, offset + limit).map((k) => objectJson(k.o, body.properties ?? [], kinds));
  const next = offset + limit < keyed.length ? { next: { after: String(offset + limit) } } : undefined;
  return { status: 200, body: { total: keyed.length, results: page, ...(next ? { paging: next } : {}) } };
}

function sortKey(o: StoredObject, name: string, kind: Kind): number | string | undefined {
  const raw = name === 'hs_object_id' ? o.id : o.properties[name];
  if (raw === undefined) return undefined;
  return kind === 'number' ? (parseTime(raw) ?? Number(raw)) : raw.toLowerCase();
}

function compare(a: number | string | undefined, b: number | string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** A fixed pseudo-random order for ties. */
function scramble(id: string): number {
  return Math.imul(Number(id) ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
}

function test(o: StoredObject, f: Filter, kind: Kind): boolean {
  const raw = f.propertyName === 'hs_object_id' ? o.id : o.properties[f.propertyName];
  const norm = (v: string | undefined): number | string | undefined => {
    if (v === undefined) return undefined;
    return kind === 'number' ? (parseTime(v) ?? Number(v)) : v.toLowerCase();
  };
  const have = norm(raw);
  const want = norm(f.value);
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return raw !== undefined && raw !== '';
    case 'NOT_HAS_PROPERTY':
      return raw === undefined || raw === '';
    case 'EQ':
      return have !== undefined && have === want;
    case 'NEQ':
      return have !== want;
    case 'IN':
      return have !== undefined && (f.values ?? []).some((v) => norm(v) === have);
    case 'NOT_IN':
      return !(f.values ?? []).some((v) => norm(v) === have);
    case 'CONTAINS_TOKEN':
      return typeof have === 'string' && tokenMatch(have, String(want ?? ''));
    case 'NOT_CONTAINS_TOKEN':
      return !(typeof have === 'string' && tokenMatch(have, String(want ?? '')));
    case 'BETWEEN': {
      const high = norm(f.highValue);
      return have !== undefined && want !== undefined && high !== undefined && have >= want && have <= high;
    }
    default:
      return ordered(f.operator, have, want);
  }
}

function ordered(op: string, have: number | string | undefined, want: number | string | undefined): boolean {
  if (have === undefined || want === undefined) return false;
  if (op === 'LT') return have < want;
  if (op === 'LTE') return have <= want;
  if (op === 'GT') return have > want;
  if (op === 'GTE') return have >= want;
  return false;
}

function tokenMatch(value: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return value.split(/[\s@.,;]+/).some((t) => pattern.test(t)) || pattern.test(value);
}
