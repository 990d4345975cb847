import type { Project } from '../src/config/load.ts';
import { formatPath, type PathSegment } from '../src/config/yaml-source.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { type Account, type Opportunity, Person } from '../src/model/index.ts';
import type { RawValue, RawValues } from '../src/policy/index.ts';

/** What a user can pipe in: a unified person, an envelope with its facts, or a record as a CRM returns it. */
export interface ExplainInput {
  readonly person: Person;
  readonly account: Account | undefined;
  readonly opportunities: Opportunity[];
  /** For a record from a CRM: the raw value behind each unified field, and where the record lives. */
  readonly raw?: RawValues;
  readonly origin?: { readonly system: string; readonly object: string };
}

/** A value, or every problem that kept it from being made. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A record as a CRM returns it (`{ connection, object, fields }`, `converted` for a Lead Salesforce converted, and
 * optionally the raw `account: { fields }` it belongs to and its `opportunities: [{ fields }]`), mapped through the
 * config first.
 */
export function readExternal(
  data: Record<string, unknown>,
  project: Project | undefined,
  source: string,
): Outcome<ExplainInput> {
  const { connection, object, fields, id } = data;
  if (project === undefined)
    return { ok: false, problems: [`${source}: an external record needs a config to map it`] };
  if (typeof connection !== 'string' || typeof object !== 'string' || !isRecord(fields))
    return {
      ok: false,
      problems: [`${source}: expected { connection, object, fields } with fields a mapping`],
    };
  const converted = Person.shape.converted.safeParse(data.converted);
  if (!converted.success)
    return {
      ok: false,
      problems: converted.error.issues.map(
        (issue) =>
          `${source}: ${formatPath(['converted', ...(issue.path as PathSegment[])])}: ${issue.message}`,
      ),
    };
  const objects = project.config.objects.person?.[connection];
  const names = typeof objects === 'string' ? [objects] : Array.isArray(objects) ? objects : [];
  if (!names.includes(object))
    return {
      ok: false,
      problems: [
        `${source}: the config maps no person from ${connection} ${object}; it maps: ${personObjects(project)}`,
      ],
    };
  const mapping = compileMapping(project.config);
  const mapped = mapping.toUnified('person', connection, object, {
    id: typeof id === 'string' ? id : 'explain',
    fields,
  });
  if (!mapped.ok) return { ok: false, problems: mappingProblems(mapped.failures, source) };
  const raw = new Map(rawValuesOf(project, 'person', connection, object, fields, ''));
  // A Contact's company facts live on its Account (a HubSpot contact's on its company): read it as the sync does.
  let account: Account | undefined;
  if (data.account !== undefined) {
    const accountObject = entityObjectOf(project, 'account', connection);
    const accountFields = isRecord(data.account) ? data.account.fields : undefined;
    if (accountObject === undefined || !isRecord(accountFields))
      return {
        ok: false,
        problems: [
          `${source}: account: expected { fields } of the ${connection} object mapped to an account`,
        ],
      };
    const read = mapping.toUnified('account', connection, accountObject, {
      id: 'explain-account',
      fields: accountFields,
    });
    if (!read.ok) return { ok: false, problems: mappingProblems(read.failures, `${source}: account`) };
    account = read.value;
    for (const entry of rawValuesOf(project, 'account', connection, accountObject, accountFields, 'account.'))
      raw.set(...entry);
  }
  const opportunities: Opportunity[] = [];
  if (data.opportunities !== undefined) {
    const opportunityObject = entityObjectOf(project, 'opportunity', connection);
    const records = Array.isArray(data.opportunities) ? data.opportunities : [];
    for (const [index, record] of records.entries()) {
      const at = `${source}: opportunities[${index}]`;
      if (opportunityObject === undefined || !isRecord(record) || !isRecord(record.fields))
        return {
          ok: false,
          problems: [`${at}: expected { fields } of the ${connection} opportunity object`],
        };
      const read = mapping.toUnified('opportunity', connection, opportunityObject, {
        id: `explain-opportunity-${index}`,
        fields: record.fields,
      });
      if (!read.ok) return { ok: false, problems: mappingProblems(read.failures, at) };
      opportunities.push(read.value);
    }
  }
  // Conversion is a fact of the record, not a mapped field, as in the sync engine's pull.
  const person = converted.data ? { ...mapped.value, converted: converted.data } : mapped.value;
  const system = project.config.connections[connection]?.system ?? connection;
  return {
    ok: true,
    value: { person, account, opportunities, raw, origin: { system, object } },
  };
}

function mappingProblems(
  failures: readonly { external: string; unified: string; reason: string; value: unknown }[],
  source: string,
): string[] {
  return failures.map(
    (f) => `${source}: ${f.external} (${f.unified}): ${f.reason}; got ${JSON.stringify(f.value)}`,
  );
}

/** The object a connection maps to a unified account or opportunity (Salesforce Account, HubSpot companies…). */
function entityObjectOf(
  project: Project,
  entity: 'account' | 'opportunity',
  connection: string,
): string | undefined {
  const objects = project.config.objects[entity]?.[connection];
  return typeof objects === 'string' ? objects : Array.isArray(objects) ? objects[0] : undefined;
}

/**
 * Unified path → the raw field and value of one record, for every single-field mapping of its object. An account's
 * fields are named with their object (`Account.Industry`), so that they are not taken for the person's.
 */
function rawValuesOf(
  project: Project,
  entity: 'person' | 'account',
  connection: string,
  object: string,
  fields: Record<string, unknown>,
  prefix: string,
): [string, RawValue][] {
  const label = (name: string) => (entity === 'account' ? `${object}.${name}` : name);
  const out: [string, RawValue][] = [];
  for (const field of project.config.objects[entity]?.fields ?? []) {
    const target = (field as Record<string, unknown>)[connection];
    const name =
      typeof target === 'string'
        ? target
        : isRecord(target) && typeof target[object] === 'string'
          ? (target[object] as string)
          : undefined;
    if (name !== undefined && name in fields)
      out.push([`${prefix}${field.unified}`, { field: label(name), value: fields[name] }]);
  }
  return out;
}

function personObjects(project: Project): string {
  const mapping = project.config.objects.person ?? {};
  return Object.entries(mapping)
    .filter(([key]) => key !== 'match' && key !== 'deletes' && key !== 'twinId' && key !== 'fields')
    .flatMap(([connection, value]) =>
      (Array.isArray(value) ? value : [value]).map((o) => `${connection} ${o}`),
    )
    .join(', ');
}
