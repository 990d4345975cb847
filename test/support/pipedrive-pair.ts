import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import type { PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import type { QuarantineEntry } from '../../src/store/index.ts';
import type { SyncReport } from '../../src/sync/run-sync.ts';

/* What the two-way tests of Pipedrive with another CRM share: seed values, custom fields, a round through the CLI. */

/** The n-th value of a list, round and round. */
export const nth = <T>(values: readonly T[], n: number): T => values[n % values.length] as T;

/** Pipedrive's industry is free text: names the maps know, and one they do not (read as other). */
export const PD_INDUSTRIES = ['Technology', 'Banking', 'Healthcare', 'Retail', 'Widgets', 'Real Estate'];
export const STATUSES = ['open', 'won', 'lost'] as const;

/** A custom field's key and, for an option field, the id of an option by its label. */
export function customField(
  pd: PipedriveSandbox,
  object: 'persons' | 'organizations' | 'deals',
  name: string,
) {
  const field = pd.store.schema.custom(object).find((f) => f.name === name);
  if (!field) throw new Error(`Pipedrive ${object} has no custom field "${name}"`);
  return {
    key: field.key,
    option: (label: string) => field.options?.find((o) => o.label === label)?.id,
    label: (id: unknown) => field.options?.find((o) => o.id === id)?.label ?? id,
  };
}

export interface Round {
  readonly code: number;
  readonly report: SyncReport;
  /** The quarantine after the round, to show what went wrong. */
  readonly open: readonly QuarantineEntry[];
  readonly held: number;
  readonly refused: number;
}

/** One `crm-bridge sync --once --json` with `config`, on the state store at `databaseUrl`. */
export async function syncOnce(
  config: string,
  databaseUrl: string,
): Promise<{ code: number; report: SyncReport }> {
  process.env.DATABASE_URL = databaseUrl;
  const output = captureOutput();
  const code = await main(['node', 'crm-bridge', 'sync', '--once', '--json', '--config', config], output);
  if (!output.stdout.startsWith('{')) throw new Error(`sync exited ${code}: ${output.stderr}`);
  return { code, report: JSON.parse(output.stdout) as SyncReport };
}
