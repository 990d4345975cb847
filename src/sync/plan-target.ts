import type { EntityName } from '../model/index.ts';
import type { Classification } from '../policy/index.ts';
import type { SyncContext } from './context.ts';
import { objectsOf } from './field-table.ts';
import type { Group } from './resolve.ts';

type Bag = Record<string, unknown>;

/** Stages at which a person is a customer-side Contact rather than a Lead, whatever else holds. */
const QUALIFIED = new Set(['opportunity', 'customer', 'evangelist']);

export interface Target {
  readonly object: string;
  /** Absent: create. */
  readonly id?: string;
}

/** Where a unified record lives in a connection, or where a new one goes. Undefined: leave it alone. */
export function targetOf(
  ctx: SyncContext,
  entity: EntityName,
  group: Group,
  connection: string,
  record: Bag,
  classification: Classification | undefined,
): Target | undefined {
  const links = group.links.filter((l) => l.connection === connection);
  const contact = links.find((l) => l.object !== 'Lead');
  const lead = links.find((l) => l.object === 'Lead');
  if (contact) return { object: contact.object, id: contact.externalId };
  if (lead)
    return (record.converted as Bag | null | undefined) ? undefined : { object: 'Lead', id: lead.externalId };
  const objects = objectsOf(ctx.config, entity, connection);
  if (entity === 'person' && objects.includes('Lead') && objects.includes('Contact')) {
    // Person routing: a qualified person, or one whose company is a known account, becomes a Contact.
    const account = (record.account as { refs?: Bag } | null | undefined)?.refs?.[connection];
    const stage = classification?.stage ?? record.lifecycleStage;
    const qualified = classification?.convert.required === true || QUALIFIED.has(stage as string);
    return { object: account !== undefined || qualified ? 'Contact' : 'Lead' };
  }
  const object = objects[0];
  return object === undefined ? undefined : { object };
}
