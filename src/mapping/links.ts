import { isBlank } from '../model/blank.ts';
import { NOT_A_LIST, toTextList } from './scalars.ts';
import { Invalid, type Step } from './step.ts';

const NOT_AN_ID = new Invalid('expected an external id');
const NOT_A_LINK = new Invalid('expected a link { refs: { <connection>: <id> } }');

function externalId(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** Inbound: an external id becomes a link whose only ref is this connection's. */
export function inboundLink(connection: string): Step {
  return (value) => {
    if (value == null) return value;
    if (typeof value === 'string' && isBlank(value)) return null;
    const id = externalId(value);
    if (id === undefined) return NOT_AN_ID;
    // Stored rather than written as `{ [connection]: id }`: V8 builds a literal with a computed key far slower.
    const refs: Record<string, string> = {};
    refs[connection] = id;
    return { refs };
  };
}

export function inboundLinkList(connection: string): Step {
  const link = inboundLink(connection);
  return (value) => {
    const ids = typeof value === 'number' ? [value] : toTextList(value);
    if (!Array.isArray(ids)) return ids === NOT_A_LIST ? NOT_AN_ID : ids;
    return ids.map(link);
  };
}

function refOf(value: unknown, connection: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_A_LINK;
  const refs = (value as { refs?: unknown }).refs;
  if (typeof refs !== 'object' || refs === null) return NOT_A_LINK;
  const id = (refs as Record<string, unknown>)[connection];
  return id === undefined || typeof id === 'string' ? id : NOT_A_LINK;
}

/** Outbound: a link becomes this connection's external id; a link this connection has no id for is omitted. */
export function outboundLink(connection: string): Step {
  return (value) => (value == null ? value : refOf(value, connection));
}

export function outboundLinkList(connection: string): Step {
  return (value) => {
    if (value == null) return value;
    if (!Array.isArray(value)) return NOT_A_LINK;
    const ids: string[] = [];
    for (const link of value) {
      const id = refOf(link, connection);
      if (id instanceof Invalid) return id;
      if (typeof id === 'string') ids.push(id);
    }
    return ids;
  };
}
