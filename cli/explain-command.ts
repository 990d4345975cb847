import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { text as readStream } from 'node:stream/consumers';
import type * as z from 'zod';
import { loadProject, type Project } from '../src/config/load.ts';
import { formatIssue, formatPath, type PathSegment } from '../src/config/yaml-source.ts';
import { DEFAULT_CONFIG_FILE } from '../src/env.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { Account, Opportunity, Person } from '../src/model/index.ts';
import {
  type Classification,
  type CompiledPolicy,
  classify,
  DEFAULT_POLICY_FILE,
  explainText,
  loadPolicy,
} from '../src/policy/index.ts';
import { configPath } from './config-path.ts';
import { fetchRecord, isRecordRef } from './fetch-record.ts';
import type { Output } from './output.ts';

/** The options of `crm-bridge explain`. */
export interface ExplainOptions {
  /** The record file; `-` or absent: stdin. */
  readonly file?: string | undefined;
  /** The config whose `policy:` (and mapping, for external records) is used. */
  readonly config?: string | undefined;
  /** A policy file to use instead of the config's. */
  readonly policy?: string | undefined;
  /** The moment to classify at (ISO 8601); default: now. */
  readonly now?: string | undefined;
  readonly json?: boolean | undefined;
}

/** What a user can pipe in: a unified person, an envelope with its facts, or a record as a CRM returns it. */
interface Input {
  readonly person: Person;
  readonly account: Account | undefined;
  readonly opportunities: Opportunity[];
}

type Outcome<T> = { ok: true; value: T } | { ok: false; problems: string[] };
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function explainCommand(
  options: ExplainOptions,
  output: Output,
  stdin: () => Promise<string> = () => readStream(process.stdin),
): Promise<number> {
  const fail = (problems: string[]) => {
    for (const problem of problems) output.err(problem);
    return 1;
  };
  const now = options.now === undefined ? Date.now() : Date.parse(options.now);
  if (Number.isNaN(now)) return fail([`--now: expected an ISO 8601 date-time; got "${options.now}"`]);
  const source = options.file === undefined || options.file === '-' ? 'stdin' : options.file;
  let data: unknown;
  if (isRecordRef(options.file)) {
    const fetched = await fetchRecord(options.file, options.config);
    if (!fetched.ok) return fail(fetched.problems);
    data = fetched.value;
  } else {
    try {
      data = JSON.parse(source === 'stdin' ? await stdin() : await readFile(source, 'utf8'));
    } catch (error) {
      return fail([`${source}: cannot read the record: ${(error as Error).message}`]);
    }
  }

  const external = isRecord(data) && 'connection' in data && 'fields' in data;
  const project = await projectFor(options, external);
  if (!project.ok) return fail(project.problems);
  const policy = await policyFor(options, project.value);
  if (!policy.ok) return fail(policy.problems);
  const input = external
    ? mapExternal(data as Record<string, unknown>, project.value, source)
    : parseInput(data, source);
  if (!input.ok) return fail(input.problems);

  const { person, account, opportunities } = input.value;
  const result = settleConversion(
    classify(person, account, opportunities, policy.value.policy, { now }),
    person,
  );
  output.out(
    options.json
      ? JSON.stringify(result, null, 2)
      : explainText(result, { previousStage: person.lifecycleStage, policyFile: policy.value.file }),
  );
  return 0;
}

/** The config, when one is named or present (a bare person can be explained with the default policy alone). */
async function projectFor(options: ExplainOptions, needed: boolean): Promise<Outcome<Project | undefined>> {
  const file = configPath(options.config);
  // Named on the command line or through the environment: then it must load.
  const named = file !== DEFAULT_CONFIG_FILE;
  if (!named && !needed && !existsSync(file)) return { ok: true, value: undefined };
  const loaded = await loadProject(file);
  return loaded.ok ? loaded : { ok: false, problems: loaded.issues.map(formatIssue) };
}

async function policyFor(
  options: ExplainOptions,
  project: Project | undefined,
): Promise<Outcome<{ policy: CompiledPolicy; file: string }>> {
  if (options.policy === undefined && project?.policy !== undefined && project.policyFile !== undefined)
    return { ok: true, value: { policy: project.policy, file: project.policyFile } };
  const file = options.policy ?? relative(process.cwd(), DEFAULT_POLICY_FILE);
  const loaded = await loadPolicy(file);
  if (!loaded.ok) return { ok: false, problems: loaded.issues.map(formatIssue) };
  return { ok: true, value: { policy: loaded.value, file } };
}

function parseInput(data: unknown, source: string): Outcome<Input> {
  const envelope = isRecord(data) && isRecord(data.person);
  const problems: string[] = [];
  const parse = <T>(schema: z.ZodType<T>, value: unknown, at: PathSegment[]): T | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      problems.push(
        `${source}: ${formatPath([...at, ...(issue.path as PathSegment[])]) || '(record)'}: ${issue.message}`,
      );
    return undefined;
  };
  const raw = envelope ? (data as Record<string, unknown>) : { person: data };
  // A bare person rarely says whether it is a lead or a contact, and the classification does not depend on it.
  const personData = isRecord(raw.person) ? { kind: 'lead', ...raw.person } : raw.person;
  const person = parse(Person, personData, envelope ? ['person'] : []);
  const account = raw.account === undefined ? undefined : parse(Account, raw.account, ['account']);
  const opportunities = parse(Opportunity.array(), raw.opportunities ?? [], ['opportunities']);
  if (person === undefined || opportunities === undefined || problems.length > 0)
    return { ok: false, problems };
  return { ok: true, value: { person, account, opportunities } };
}

/**
 * A conversion Salesforce already made settles the verdict, whatever the policy says: the sync engine never converts
 * such a Lead again. The verdict names the Contact it became, where an admin finds the person now.
 */
function settleConversion(result: Classification, person: Person): Classification {
  const converted = person.converted;
  if (converted === undefined || converted === null) return result;
  const into = converted.contactId ? ` into Contact ${converted.contactId}` : '';
  const reason = `already converted in Salesforce${into}; it will not be converted again`;
  return { ...result, convert: { required: false, reason } };
}

/**
 * A record as a CRM returns it (`{ connection, object, fields }`, and `converted` for a Lead Salesforce converted),
 * mapped through the config first.
 */
function mapExternal(
  data: Record<string, unknown>,
  project: Project | undefined,
  source: string,
): Outcome<Input> {
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
  const mapped = compileMapping(project.config).toUnified('person', connection, object, {
    id: typeof id === 'string' ? id : 'explain',
    fields,
  });
  if (!mapped.ok)
    return {
      ok: false,
      problems: mapped.failures.map(
        (f) => `${source}: ${f.external} (${f.unified}): ${f.reason}; got ${JSON.stringify(f.value)}`,
      ),
    };
  // Conversion is a fact of the record, not a mapped field, as in the sync engine's pull.
  const person = converted.data ? { ...mapped.value, converted: converted.data } : mapped.value;
  return { ok: true, value: { person, account: undefined, opportunities: [] } };
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
