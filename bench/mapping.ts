/**
 * The mapper's throughput on 100k generated people through config/example.yaml, against the cost of a JSON
 * round trip of the same records (the floor any per-record copy pays). Run with `npm run bench:mapping`.
 */
import { loadConfig } from '../src/config/load.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import { type CompiledMapping, compileMapping, type MapResult } from '../src/mapping/index.ts';
import type { Person } from '../src/model/index.ts';
import { type GeneratedPerson, generatePeople } from './generate-people.ts';

const COUNT = 100_000;
const RUNS = 7;

const loaded = await loadConfig('config/example.yaml');
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const mapping = compileMapping(loaded.value);
const people = generatePeople(COUNT);
const records = people.map((p) => p.record);

/** Records grouped by object, so that the loop measures mapping, not finding the mapper. */
function groups(mapping: CompiledMapping, people: readonly GeneratedPerson[]) {
  const byObject = new Map<string, GeneratedPerson[]>();
  for (const person of people) {
    const list = byObject.get(person.object) ?? [];
    list.push(person);
    byObject.set(person.object, list);
  }
  return [...byObject.values()].map((list) => {
    const { connection, object } = list[0] as GeneratedPerson;
    return {
      inbound: mapping.inbound('person', connection, object),
      outbound: mapping.outbound('person', connection, object),
      records: list.map((p) => p.record),
    };
  });
}
const byObject = groups(mapping, people);

function mapIn(): Person[] {
  const out: Person[] = [];
  for (const group of byObject) {
    for (const record of group.records) {
      const result: MapResult<Person> = group.inbound(record);
      if (!result.ok)
        throw new Error(`generated record ${record.id} failed: ${JSON.stringify(result.failures)}`);
      out.push(result.value);
    }
  }
  return out;
}

const unified = mapIn();
const unifiedByObject = byObject.map((group, g) => ({
  outbound: group.outbound,
  people: unified.slice(
    byObject.slice(0, g).reduce((n, x) => n + x.records.length, 0),
    byObject.slice(0, g + 1).reduce((n, x) => n + x.records.length, 0),
  ),
}));

function mapOut(): number {
  let written = 0;
  for (const group of unifiedByObject) {
    for (const person of group.people) {
      const result = group.outbound(person);
      if (!result.ok) throw new Error(`unified record failed outbound: ${JSON.stringify(result.failures)}`);
      written++;
    }
  }
  return written;
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

const json = time(() => JSON.parse(JSON.stringify(records)));
const inbound = time(mapIn);
const outbound = time(mapOut);
const jsonOut = time(() => JSON.parse(JSON.stringify(unified)));

const rate = (ms: number) => Math.round((COUNT / ms) * 1000).toLocaleString('en-US');
const ms = (value: number) => `${Math.round(value)} ms`;
const mix = byObject
  .map(
    (g) =>
      `${g.records.length.toLocaleString('en-US')} ${g.records[0] === undefined ? '' : people.find((p) => p.record === g.records[0])?.object}`,
  )
  .join(', ');
console.log(`people: ${mix}; median of ${RUNS} runs after warm-up`);
console.log(
  `inbound: mapped ${COUNT.toLocaleString('en-US')} person records in ${ms(inbound)} (with validation): ${rate(inbound)} records/s; ` +
    `JSON round trip ${ms(json)}; ratio ${(inbound / json).toFixed(2)}x (target: >= 100,000/s, <= 3x)`,
);
console.log(
  `outbound: mapped ${COUNT.toLocaleString('en-US')} unified people in ${ms(outbound)}: ${rate(outbound)} records/s; ` +
    `JSON round trip of the unified records ${ms(jsonOut)}; ratio ${(outbound / jsonOut).toFixed(2)}x`,
);
