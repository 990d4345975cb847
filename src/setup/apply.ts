import type { BridgeConfig } from '../config/schema.ts';
import { type SetupOutcome, setupOf } from '../connector/setup.ts';
import type { Connector } from '../connector/types.ts';
import { type CheckProblem, checkAgainstCrms } from '../sync/check.ts';
import type { SetupPlan } from './plan.ts';

/** What applying a plan did, per connection, and what the CRMs still lack afterwards. */
export interface SetupResult {
  readonly outcomes: readonly { readonly connection: string; readonly outcome: SetupOutcome }[];
  /**
   * The fields the plan created (or found) that describe still does not show as writable: what the API user still
   * cannot use. Empty when setup did its job.
   */
  readonly unusable: readonly CheckProblem[];
}

/**
 * Creates what the plan lists, connection by connection (fields with a conflicting type are never in it), then
 * describes both CRMs again so that what was made is seen as the sync will see it.
 */
export async function applySetup(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
  plan: SetupPlan,
): Promise<SetupResult> {
  const outcomes: { connection: string; outcome: SetupOutcome }[] = [];
  const made = new Set<string>();
  for (const step of plan.connections) {
    const connector = connectors[step.connection];
    const setup = connector === undefined ? undefined : setupOf(connector);
    if (connector === undefined || setup === undefined || step.create.length === 0) continue;
    const outcome = await setup.apply(
      step.create.map((c) => c.spec),
      step.all,
    );
    connector.forgetDescribe?.();
    outcomes.push({ connection: step.connection, outcome });
    for (const spec of [...outcome.created.map((c) => c.spec), ...outcome.found])
      made.add(`${step.connection}\u0000${spec.object}\u0000${spec.name}`);
  }
  const unusable =
    made.size === 0
      ? []
      : (await checkAgainstCrms(config, connectors, { describeErrors: 'throw' })).filter(
          (p) =>
            (p.kind === 'missing-field' || p.kind === 'read-only') &&
            made.has(`${p.connection}\u0000${p.object}\u0000${p.field ?? ''}`),
        );
  return { outcomes, unusable };
}
