import type { SystemProfile } from '../connector/descriptor.ts';

type Kind = 'lead' | 'contact';

/** HubSpot funnel stages, in unified terms, before a person counts as qualified. */
const LEAD_STAGES: ReadonlySet<unknown> = new Set(['prospect', 'lead', 'mql', 'sql']);

/**
 * How a pulled person's `kind` is told, decided per external object at compile time. A CRM that keeps leads and
 * contacts in separate objects says it with the object (its profile's `personKinds`); an object that holds both
 * (a HubSpot contact) is told by its unified lifecycle stage: prospect, lead, mql or sql make a lead, anything else
 * (including no stage) a contact. The policy refines this later; here it only has to be a faithful reading.
 */
export function kindResolver(profile: SystemProfile, object: string): (lifecycleStage: unknown) => Kind {
  const kind = profile.personKinds?.[object];
  if (kind !== undefined) return () => kind;
  return (stage) => (LEAD_STAGES.has(stage) ? 'lead' : 'contact');
}
