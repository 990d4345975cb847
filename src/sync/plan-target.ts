import type { EntityName } from '../model/index.ts';
import type { Classification } from '../policy/index.ts';
import type { DecideContext } from './context.ts';
import { objectsOf } from './field-table.ts';
import { personSplit } from './person-objects.ts';
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
  ctx: DecideContext,
  entity: EntityName,
  group: Group,
  connection: string,
  record: Bag,
  classification: Classification | undefined,
): Target | undefined {
  const links = group.links.filter((l) => l.connection === connection);
  const split = personSplit(ctx.config, connection);
  const contact = links.find((l) => l.object !== split?.lead);
  const lead = links.find((l) => l.object === split?.lead);
  if (contact) return { object: contact.object, id: contact.externalId };
  if (lead)
    return (record.converted as Bag | null | undefined)
      ? undefined
      : { object: lead.object, id: lead.externalId };
  const objects = objectsOf(ctx.config, entity, connection);
  if (entity === 'person' && split !== undefined) {
    // Person routing: a qualified person, or one whose company is a known account, becomes a contact.
    const account = (record.account as { refs?: Bag } | null | undefined)?.refs?.[connection];
    const stage = classification?.stage ?? record.lifecycleStage;
    const qualified = classification?.convert.required === true || QUALIFIED.has(stage as string);
    return { object: account !== undefined || qualified ? split.contact : split.lead };
  }
  const object = objects[0];
  return object === undefined ? undefined : { object };
}
