import type { BridgeConfig } from '../config/schema.ts';
import { closest } from '../config/suggest.ts';
import type { PathSegment } from '../config/yaml-source.ts';
import { type FieldSetup, type FieldSpec, setupOf } from '../connector/setup.ts';
import type { Connector } from '../connector/types.ts';
import { checkAgainstCrms } from '../sync/check.ts';
import { type WrittenField, writtenFields } from './field-specs.ts';

/** A field setup will not touch, and why. */
export interface SetupProblem {
  readonly spec: FieldSpec;
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly fix: string;
}

/** What setup would do in one connection's CRM. */
export interface ConnectionPlan {
  readonly connection: string;
  /** The connector's system name (`salesforce`, `hubspot`). */
  readonly system: string;
  /** What the CRM calls a field. */
  readonly noun: { readonly one: string; readonly many: string };
  /** Fields to create, each with how the CRM would make it. */
  readonly create: readonly {
    readonly spec: FieldSpec;
    readonly as: string;
    readonly path: readonly PathSegment[];
    /** An existing field with a close name: the config may mean it (a typo would create a field of its own). */
    readonly similar?: string;
  }[];
  /** What else applying does (a permission set, property groups). */
  readonly also: readonly string[];
  /** Fields that exist with a type that cannot hold what the config writes, or that the CRM cannot make. */
  readonly problems: readonly SetupProblem[];
  /** Every field the config writes there (a permission set grants them all, the existing ones included). */
  readonly all: readonly FieldSpec[];
  /** Set when the connector cannot create fields at all: the fields to create are listed, for an admin to make. */
  readonly unsupported?: string;
}

export interface SetupPlan {
  readonly connections: readonly ConnectionPlan[];
}

const key = (object: string, field: string) => `${object}\u0000${field}`.toLowerCase();

/**
 * What the config writes that the CRMs lack, from the same comparison `crm-bridge check` makes: each missing field,
 * typed from the mapping, and each existing field whose type cannot hold what the config writes (never changed). A
 * CRM that cannot be described (credentials, an unknown object) stops the plan with its connector's failure.
 */
export async function planSetup(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
): Promise<SetupPlan> {
  const problems = await checkAgainstCrms(config, connectors, { describeErrors: 'throw' });
  const missing = new Set(
    problems.filter((p) => p.kind === 'missing-field' && p.field).map((p) => key(p.object, p.field ?? '')),
  );
  const connections: ConnectionPlan[] = [];
  for (const connection of config.sync.pair) {
    const connector = connectors[connection];
    if (connector === undefined) continue;
    const setup = setupOf(connector);
    const written = writtenFields(config, connection);
    const plan = await planConnection(connector, setup, written, missing);
    connections.push({
      connection,
      system: connector.system,
      noun: setup?.noun ?? { one: 'field', many: 'fields' },
      ...plan,
      all: await grantable(connector, written),
      ...(setup === undefined
        ? { unsupported: `the ${connector.system} connector cannot create fields` }
        : {}),
    });
  }
  return { connections };
}

/**
 * The written fields a grant may name: all but those that exist as required (every user may edit a required
 * field, and Salesforce refuses a permission on one).
 */
async function grantable(connector: Connector, written: readonly WrittenField[]): Promise<FieldSpec[]> {
  const out: FieldSpec[] = [];
  for (const { spec } of written) {
    const field = (await connector.describe(spec.object)).fields.find((f) => f.name === spec.name);
    if (field?.required !== true) out.push(spec);
  }
  return out;
}

async function planConnection(
  connector: Connector,
  setup: FieldSetup | undefined,
  written: readonly WrittenField[],
  missing: ReadonlySet<string>,
): Promise<Pick<ConnectionPlan, 'create' | 'also' | 'problems'>> {
  const create: ConnectionPlan['create'][number][] = [];
  const problems: SetupProblem[] = [];
  for (const { spec, path } of written) {
    const fields = (await connector.describe(spec.object)).fields;
    if (missing.has(key(spec.object, spec.name))) {
      const refused = setup?.refuses(spec);
      if (refused !== undefined)
        problems.push({
          spec,
          path,
          message: `does not exist and cannot be created: ${refused}`,
          fix: 'map an existing field or a custom one',
        });
      else {
        const similar = closest(
          spec.name,
          fields.map((f) => f.name),
        );
        create.push({ spec, as: setup?.as(spec) ?? spec.kind, path, ...(similar ? { similar } : {}) });
      }
      continue;
    }
    const field = fields.find((f) => f.name === spec.name);
    const conflict = field === undefined ? undefined : setup?.conflict(spec, field);
    if (conflict !== undefined)
      problems.push({
        spec,
        path,
        message: conflict,
        fix: `change the field's type in the CRM, or map ${spec.name} to another field: setup never changes a field that exists`,
      });
  }
  return { create, also: setup?.alsoDoes(create.map((c) => c.spec)) ?? [], problems };
}
