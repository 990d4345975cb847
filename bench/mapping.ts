/**
 * The mapper's throughput on 100k generated people through config/example.yaml, against the cost of a JSON
 * round trip of the same records (the floor any per-record copy pays). Run with `npm run bench:mapping`; with a
 * policy, `measureMapping` also classifies each person as it maps it in (the figure `npm run bench` reports), which
 * `npm run bench:mapping -- --classify` measures alone, with the default policy.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { compileMapping, type ExternalRecord } from '../src/mapping/index.ts';
import type { Person } from '../src/model/index.ts';
import { type CompiledPolicy, classify, DEFAULT_POLICY_FILE, loadPolicy } from '../src/policy/index.ts';
import { type GeneratedPerson, generatePeople } from './generate-people.ts';

/** One direction's medians: the mapping, its JSON baseline, and their ratio run by run. */
export interface MappingTiming {
  /** Median ms of the mapping (with classification, when asked for) of every record. */
  readonly mapped: number;
  /** Median ms of `JSON.parse(JSON.stringify(records))` of the same records. */
  readonly base: number;
  /** Median of the per-run ratios mapped / base. */
  readonly ratio: number;
}

export interface MappingFigures {
  readonly count: number;
  readonly runs: number;
  /** People per external object. */
  readonly objects: Readonly<Record<string, number>>;
  /** External records to unified people (then classified, with a policy). */
  readonly inbound: MappingTiming;
  /** Unified people back to each external object. */
  readonly outbound: MappingTiming;
}

export interface MappingOptions {
  readonly count?: number;
  readonly runs?: number;
  /** Classify each person as it is mapped in, as a round's plan step does (without the trace). */
  readonly policy?: CompiledPolicy;
}

/**
 * The people mapped in by the timed runs are kept a round's slice at a time (config `sync.slice`, 5,000 people by
 * default), as a round keeps them until they are planned. Keeping all 100k alive instead measured the collector
 * copying them from one generation to the next (826 ms against 760 ms), which neither a round nor the JSON baseline,
 * whose records die at once, pays.
 */
const SLICE = 5_000;

/** The policy's clock: fixed, so that every run classifies the same people the same way. */
const NOW = Date.parse('2026-06-01T00:00:00Z');

const median = (values: readonly number[]) =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Times each mapping against its JSON baseline in alternation, run after run, so that both see the same load
 * on a shared machine; medians are less sensitive to a stray GC pause than means.
 */
function compare(baseline: () => unknown, subject: () => unknown, runs: number): MappingTiming {
  for (let i = 0; i < 3; i++) {
    baseline();
    subject();
  }
  const bases: number[] = [];
  const mapped: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    baseline();
    bases.push(performance.now() - start);
    start = performance.now();
    subject();
    mapped.push(performance.now() - start);
    ratios.push((mapped.at(-1) as number) / (bases.at(-1) as number));
  }
  return { base: median(bases), mapped: median(mapped), ratio: median(ratios) };
}

/** Maps `count` generated people in and out through config/example.yaml; medians of `runs` after warm-up. */
export async function measureMapping(options: MappingOptions = {}): Promise<MappingFigures> {
  const count = options.count ?? 100_000;
  const runs = options.runs ?? 7;
  const { policy } = options;
  const loaded = await loadConfig('config/example.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  const mapping = compileMapping(loaded.value);
  const people = generatePeople(count);
  const records = people.map((p) => p.record);

  /** People grouped by external object, so that the timed loops measure mapping, not finding the mapper. */
  const groups = [...Map.groupBy(people, (p) => p.object).values()].map((list) => {
    const { connection, object } = list[0] as GeneratedPerson;
    return {
      object,
      inbound: mapping.inbound('person', connection, object),
      outbound: mapping.outbound('person', connection, object),
      records: list.map((p): ExternalRecord => p.record),
      unified: [] as Person[],
    };
  });

  let stages = 0;
  let slice: Person[] = [];
  const mapIn = (keep: (person: Person, group: (typeof groups)[number]) => void): void => {
    for (const group of groups) {
      for (const record of group.records) {
        const result = group.inbound(record);
        if (!result.ok)
          throw new Error(`generated ${group.object} ${record.id}: ${JSON.stringify(result.failures)}`);
        keep(result.value, group);
        // Kept in a sum so that the classification cannot be optimised away.
        if (policy !== undefined)
          stages += classify(result.value, undefined, [], policy, { now: NOW, trace: false }).stage.length;
      }
    }
  };
  const mapOut = (): void => {
    for (const group of groups) {
      for (const person of group.unified) {
        const result = group.outbound(person);
        if (!result.ok) throw new Error(`unified ${group.object} person: ${JSON.stringify(result.failures)}`);
      }
    }
  };

  // Mapped once untimed: the people the outbound runs map back.
  mapIn((person, group) => group.unified.push(person));
  if (policy !== undefined && stages === 0) throw new Error('the policy gave no stage');
  const unified = groups.flatMap((g) => g.unified);
  const mapInSlices = () =>
    mapIn((person) => {
      if (slice.length === SLICE) slice = [];
      slice.push(person);
    });
  return {
    count,
    runs,
    objects: Object.fromEntries(groups.map((g) => [g.object, g.records.length])),
    inbound: compare(() => JSON.parse(JSON.stringify(records)), mapInSlices, runs),
    outbound: compare(() => JSON.parse(JSON.stringify(unified)), mapOut, runs),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { classify: { type: 'boolean', default: false } } });
  let policy: CompiledPolicy | undefined;
  if (values.classify) {
    const loaded = await loadPolicy(DEFAULT_POLICY_FILE);
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
    policy = loaded.value;
  }
  const figures = await measureMapping(policy === undefined ? {} : { policy });
  const { count: total, inbound, outbound } = figures;
  const count = (n: number) => n.toLocaleString('en-US');
  const rate = (ms: number) => `${count(Math.round((total / ms) * 1000))} records/s`;
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(
    `${count(total)} generated people (${Object.entries(figures.objects)
      .map(([object, n]) => `${count(n)} ${object}`)
      .join(', ')}); medians of ${figures.runs} runs after warm-up, on one core`,
  );
  const target = policy === undefined ? '>= 100,000/s, <= 3x' : '>= 120,000/s, <= 2x';
  console.log(
    `inbound:  mapped ${count(total)} person records in ${ms(inbound.mapped)} (validated${policy === undefined ? '' : ', then classified'}): ` +
      `${rate(inbound.mapped)}; JSON round trip ${ms(inbound.base)}; ratio ${inbound.ratio.toFixed(2)}x (target: ${target})`,
  );
  console.log(
    `outbound: mapped ${count(total)} unified people in ${ms(outbound.mapped)}: ${rate(outbound.mapped)}; ` +
      `JSON round trip of the unified records ${ms(outbound.base)}; ratio ${outbound.ratio.toFixed(2)}x`,
  );
}
