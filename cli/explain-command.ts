import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { text as readStream } from 'node:stream/consumers';
import type * as z from 'zod';
import { loadProject, type Project } from '../src/config/load.ts';
import { formatIssue, formatPath, type PathSegment } from '../src/config/yaml-source.ts';
import { DEFAULT_CONFIG_FILE } from '../src/env.ts';
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
import { type ExplainInput, isRecord, type Outcome, readExternal } from './explain-record.ts';
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
  /** Print every rule evaluated, with the values it saw, after the verdict. */
  readonly trace?: boolean | undefined;
}

type Input = ExplainInput;

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
    ? readExternal(data as Record<string, unknown>, project.value, source)
    : parseInput(data, source);
  if (!input.ok) return fail(input.problems);

  const { person, account, opportunities, raw, origin } = input.value;
  // A record fetched from a CRM carries the decision a rep recorded on it from the CLI, if any.
  const decision =
    isRecord(data) && (data.decision === 'accepted' || data.decision === 'rejected')
      ? data.decision
      : undefined;
  const classified = classify(person, account, opportunities, policy.value.policy, { now, decision });
  const result = settleConversion(classified, person, origin);
  output.out(
    options.json
      ? JSON.stringify(result, null, 2)
      : explainText(result, {
          previousStage: person.lifecycleStage,
          policyFile: policy.value.file,
          raw,
          trace: options.trace,
          conversion: origin === undefined ? undefined : conversionSteps(result, origin, project.value),
        }),
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
 * What a conversion would really do for the record explained. A conversion Salesforce already made settles the
 * verdict, whatever the policy says: the sync engine never converts such a Lead again, and the verdict names the
 * Contact it became. A Salesforce Contact has nothing to convert: it is already a converted person.
 */
function settleConversion(result: Classification, person: Person, origin: Input['origin']): Classification {
  const converted = person.converted;
  if (converted !== undefined && converted !== null) {
    const into = converted.contactId ? ` into Contact ${converted.contactId}` : '';
    const reason = `already converted in Salesforce${into}; it will not be converted again`;
    return { ...result, convert: { required: false, reason } };
  }
  if (origin?.system === 'salesforce' && person.kind === 'contact' && result.convert.required) {
    const reason = `${result.convert.reason}, but a Salesforce Contact is already a converted person`;
    return { ...result, convert: { required: false, reason } };
  }
  return result;
}

/** The steps each CRM would take for this record type, as explain prints them. */
function conversionSteps(
  result: Classification,
  origin: NonNullable<Input['origin']>,
  project: Project | undefined,
): string[] | undefined {
  if (origin.system === 'salesforce' && origin.object !== 'Lead')
    return [
      `Salesforce: nothing to convert (a ${origin.object} is already a converted person)`,
      `HubSpot: its twin's lifecycle stage is written as ${result.stage}, as for every person`,
    ];
  const convert = result.convert;
  if (!convert.required) return undefined;
  const { salesforce: sf, hubspot: hs } = convert;
  const convertsLeads = project?.config.sync.pair.some(
    (c) => project.config.connections[c]?.system === 'salesforce',
  );
  const lead = [
    `Salesforce: ${origin.system === 'salesforce' ? 'this Lead' : 'its Lead twin, if it has one,'} is converted`,
    `(status "${sf.convertedStatus}", ${sf.createOpportunity ? 'with an opportunity' : 'no opportunity'},`,
    `${sf.attachToMatchedAccount ? 'attached to the account matched by domain' : 'a new account'})`,
  ].join(' ');
  const deal =
    convertsLeads === true && sf.createOpportunity
      ? "the deal is Salesforce's opportunity, synced"
      : hs.createDeal
        ? `a deal is created (pipeline ${hs.pipeline}, stage ${hs.dealStage})`
        : 'no deal';
  return [lead, `HubSpot: lifecycle stage ${hs.lifecycleStage}; ${deal}`];
}
