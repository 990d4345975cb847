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

/** The median of several timed runs after warm-up: less sensitive to a stray GC pause than the mean. */
function time(run: () => unknown): number {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
}

const jsonIn = time(() => JSON.parse(JSON.stringify(records)));
const inbound = time(mapIn);
const unified = groups.flatMap((g) => g.unified);
const jsonOut = time(() => JSON.parse(JSON.stringify(unified)));
const outbound = time(mapOut);

const count = (n: number) => n.toLocaleString('en-US');
const rate = (ms: number) => `${count(Math.round((COUNT / ms) * 1000))} records/s`;
const ms = (value: number) => `${Math.round(value)} ms`;
console.log(
  `${count(COUNT)} generated people (${groups.map((g) => `${count(g.records.length)} ${g.object}`).join(', ')}); ` +
    `median of ${RUNS} runs after warm-up, on one core`,
);
console.log(
  `inbound:  mapped ${count(COUNT)} person records in ${ms(inbound)} (validated): ${rate(inbound)}; ` +
    `JSON round trip ${ms(jsonIn)}; ratio ${(inbound / jsonIn).toFixed(2)}x (target: >= 100,000/s, <= 3x)`,
);
console.log(
  `outbound: mapped ${count(COUNT)} unified people in ${ms(outbound)}: ${rate(outbound)}; ` +
    `JSON round trip of the unified records ${ms(jsonOut)}; ratio ${(outbound / jsonOut).toFixed(2)}x`,
);
