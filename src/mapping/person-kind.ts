import type { SystemName } from '../model/index.ts';

type Kind = 'lead' | 'contact';

/** HubSpot funnel stages, in unified terms, before a person counts as qualified. */
const LEAD_STAGES: ReadonlySet<unknown> = new Set(['prospect', 'lead', 'mql', 'sql']);

/**
 * How a pulled person's `kind` is told, decided per external object at compile time. Salesforce says it with
 * the object (Lead or Contact); a HubSpot contact is one object for both, so its unified lifecycle stage decides:
 * prospect, lead, mql or sql make a lead, anything else (including no stage) a contact. The policy refines
 * this later; here it only has to be a faithful reading of the source.
 */
export function kindResolver(system: SystemName, object: string): (lifecycleStage: unknown) => Kind {
  if (system === 'salesforce') return object === 'Lead' ? () => 'lead' : () => 'contact';
  if (object === 'leads') return () => 'lead';
  return (stage) => (LEAD_STAGES.has(stage) ? 'lead' : 'contact');
}
