/**
 * The mapper's throughput on 100k generated people through config/example.yaml, against the cost of a JSON
 * round trip of the same records (the floor any per-record copy pays). Run with `npm run bench:mapping`.
 */
import { loadConfig } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { compileMapping, type ExternalRecord } from '../src/mapping/index.ts';
import type { Person } from '../src/model/index.ts';
import { type GeneratedPerson, generatePeople } from './generate-people.ts';

const COUNT = 100_000;
const RUNS = 7;

const loaded = await loadConfig('config/example.yaml');
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const mapping = compileMapping(loaded.value);
const people = generatePeople(COUNT);
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

function mapIn(): void {
  for (const group of groups) {
    group.unified = [];
    for (const record of group.records) {
      const result = group.inbound(record);
      if (!result.ok)
        throw new Error(`generated ${group.object} ${record.id}: ${JSON.stringify(result.failures)}`);
      group.unified.push(result.value);
    }
  }
}

function mapOut(): void {
  for (const group of groups) {
    for (const person of group.unified) {
      const result = group.outbound(person);
      if (!result.ok) throw new Error(`unified ${group.object} person: ${JSON.stringify(result.failures)}`);
    }
  }
}

const median = (values: readonly number[]) =>
  values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Times each mapping against its JSON baseline in alternation, run after run, so that both see the same load
 * on a shared machine; medians are less sensitive to a stray GC pause than means.
 */
function compare(
  baseline: () => unknown,
  subject: () => unknown,
): { base: number; mapped: number; ratio: number } {
  for (let i = 0; i < 3; i++) {
    baseline();
    subject();
  }
  const bases: number[] = [];
  const mapped: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
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

mapIn();
const unified = groups.flatMap((g) => g.unified);
const inbound = compare(() => JSON.parse(JSON.stringify(records)), mapIn);
const outbound = compare(() => JSON.parse(JSON.stringify(unified)), mapOut);

const count = (n: number) => n.toLocaleString('en-US');
const rate = (ms: number) => `${count(Math.round((COUNT / ms) * 1000))} records/s`;
const ms = (value: number) => `${Math.round(value)} ms`;
console.log(
  `${count(COUNT)} generated people (${groups.map((g) => `${count(g.records.length)} ${g.object}`).join(', ')}); ` +
    `medians of ${RUNS} runs after warm-up, on one core`,
);
console.log(
  `inbound:  mapped ${count(COUNT)} person records in ${ms(inbound.mapped)} (validated): ${rate(inbound.mapped)}; ` +
    `JSON round trip ${ms(inbound.base)}; ratio ${inbound.ratio.toFixed(2)}x (target: >= 100,000/s, <= 3x)`,
);
console.log(
  `outbound: mapped ${count(COUNT)} unified people in ${ms(outbound.mapped)}: ${rate(outbound.mapped)}; ` +
    `JSON round trip of the unified records ${ms(outbound.base)}; ratio ${outbound.ratio.toFixed(2)}x`,
);
