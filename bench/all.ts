/**
 * `npm run bench`: every performance target measured in one run, each beside its bound, printed as one Markdown
 * table and written to bench/results.json (or `--out`).
 *
 *   node bench/all.ts [--people 100000] [--memory-people 20000,200000,1000000] [--engine-people 200000]
 *                     [--fleet-people N] [--workers 1,2,4]
 *
 * Rows: map + classify on one core against a JSON round trip; a two-way first sync through both sandboxes with
 * HubSpot's limits enforced (calls against the minimum, time against the limits' bound, 429s) and the idle round
 * after it; the peak memory of a one-direction first sync on PostgreSQL as `crm-bridge sync` and the worker run it,
 * the round report counted, and of the engine alone for comparison (`--engine-people`, 0 to leave it out); the
 * round shared by 1, 2 and 4 worker
 * processes; and the same round on a three-master Redis Cluster, once as is and once with a master restarted
 * mid-round. Every part stops by itself (bounded waits) and removes the Redis keys, PostgreSQL schemas, processes
 * and directories it made.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { formatIssue } from '../src/config/yaml-source.ts';
import { readEnv } from '../src/env.ts';
import { DEFAULT_POLICY_FILE, loadPolicy } from '../src/policy/index.ts';
import { differences } from '../test/faults/scenario.ts';
import { describeCpu } from './cpu.ts';
import { type FleetRun, runFleet } from './fleet.ts';
import { measureMapping } from './mapping.ts';
import { measureMemory } from './memory.ts';
import { startCluster } from './redis-cluster.ts';
import { markdownTable, type Row, row } from './results-table.ts';
import { measureSync, roundFigures, servedText } from './sync.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    'memory-people': { type: 'string', default: '20000,200000,1000000' },
    'engine-people': { type: 'string', default: '200000' },
    'fleet-people': { type: 'string' },
    workers: { type: 'string', default: '1,2,4' },
    out: { type: 'string', default: 'bench/results.json' },
  },
});
const people = Number(values.people);
const fleetPeople = Number(values['fleet-people'] ?? values.people);
const memorySizes = values['memory-people'].split(',').map(Number);
const enginePeople = Number(values['engine-people']);
const workerCounts = values.workers.split(',').map(Number);
for (const [name, n] of [
  ['--people', people],
  ['--fleet-people', fleetPeople],
  ...memorySizes.map((n) => ['--memory-people', n] as const),
  ...(enginePeople === 0 ? [] : [['--engine-people', enginePeople] as const]),
  ...workerCounts.map((n) => ['--workers', n] as const),
] as const)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} takes positive whole numbers`);

// Ended by a signal: exit, so that the cluster's servers and the workers are stopped by their exit hooks.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(1));

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: Row[] = [];
const details: Record<string, unknown> = {};
const log = (text: string) => console.error(`[bench] ${text}`);
const began = performance.now();
const cores = availableParallelism();

/** Writes what has been measured so far: a run stopped midway still leaves its figures. */
async function save(): Promise<void> {
  const seconds = (performance.now() - began) / 1000;
  const options = { people, fleetPeople, memoryPeople: memorySizes, enginePeople, workers: workerCounts };
  const results = { measuredAt: new Date().toISOString(), machine: { cores, node: process.version } };
  await writeFile(
    values.out,
    `${JSON.stringify({ ...results, options, seconds: Math.round(seconds), rows, details }, null, 2)}\n`,
  );
}

/** Keeps rows and shows each one as it is measured (on stderr: stdout is the table). */
function add(...measured: Row[]): void {
  for (const r of measured)
    log(
      `${r.measure}: ${r.figure} ${r.unit} (${r.goal} ${r.bound}) ${r.met ? 'met' : 'NOT met'}; ${r.detail}`,
    );
  rows.push(...measured);
}

// 1. Map + classify, on one core, against JSON.parse + JSON.stringify of the same records.
log(`map + classify ${count(Math.min(people, 100_000))} people`);
const loaded = await loadPolicy(DEFAULT_POLICY_FILE);
if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
const mapped = await measureMapping({ count: Math.min(people, 100_000), policy: loaded.value });
const perSecond = (mapped.count / mapped.inbound.mapped) * 1000;
add(
  row(
    `map + classify, ${count(mapped.count)} people, one core`,
    Math.round(perSecond),
    'records/s',
    '>=',
    120_000,
    `median of ${mapped.runs} runs: ${mapped.inbound.mapped.toFixed(0)} ms`,
  ),
  row(
    'map + classify against JSON.parse + JSON.stringify of the same records',
    Math.round(mapped.inbound.ratio * 100) / 100,
    '×',
    '<=',
    2,
    `JSON round trip ${mapped.inbound.base.toFixed(0)} ms`,
  ),
);
details.mapping = mapped;
await save();

// 2. A two-way first sync with HubSpot's limits enforced, then the rounds after it.
log(`two-way first sync of ${count(people)} people, HubSpot limits enforced`);
const sync = await measureSync({ people, data: 'scale', limits: 'hubspot' });
const { first } = sync;
const size = `${count(people)} people`;
for (const [key, name] of [
  ['sf', 'Salesforce'],
  ['hs', 'HubSpot'],
] as const)
  add(
    row(
      `first sync, ${size}: ${name} API calls against the minimum`,
      first.calls[key],
      'calls',
      '<=',
      Math.round(first.minimum[key] * 1.05 * 100) / 100,
      `minimum ${count(first.minimum[key])}; ${(first.calls[key] / first.minimum[key]).toFixed(3)}× it`,
    ),
  );
add(
  row(
    `first sync, ${size}: wall time against HubSpot's rate-limit bound`,
    Math.round(first.seconds * 10) / 10,
    's',
    '<=',
    Math.round(first.bound * 1.15 * 10) / 10,
    `bound ${first.bound.toFixed(1)} s: ${count(first.calls.hs)} HubSpot calls at the sustained 190 / 10 s (searches at 4 / s); ${(first.seconds / first.bound).toFixed(2)}× it`,
  ),
  row(
    `first sync, ${size}: 429s answered by HubSpot`,
    first.refused,
    '× 429',
    '<=',
    0,
    'the sandbox enforces the limits',
  ),
);
for (const [key, name] of [
  ['sf', 'Salesforce'],
  ['hs', 'HubSpot'],
] as const)
  add(
    row(
      `idle round after it: ${name} API calls`,
      sync.idle.calls[key],
      'calls',
      '<=',
      sync.objects[key].length,
      `1 per object read (${sync.objects[key].join(', ')}); the first sync's connectors kept, as a worker keeps them; sync.overlap ${sync.overlap} for the bench: the first round whose previous pull began ${sync.overlap} or more after the last write, ${roundFigures(sync.idle)} (served: ${servedText(sync.idle)}). Before it: the round right after the first sync, ${roundFigures(sync.second)}; in between, after waiting ${sync.waited.toFixed(1)} s: ${sync.between.map(roundFigures).join('; ')}`,
    ),
  );
for (const line of first.timeline) log(`  ${line}`);
details.sync = sync;
await save();

// 3. Peak memory of a one-direction first sync, state on PostgreSQL, in a child process, as `crm-bridge sync` and
// the worker run it: the round report counted.
const memory = [];
for (const n of memorySizes) {
  log(`peak memory of a one-direction first sync of ${count(n)} people, with the round report`);
  const m = await measureMemory(n);
  memory.push(m);
  add(
    row(
      `peak RSS, one-direction first sync of ${count(n)} people with the round report (as \`crm-bridge sync\`; state on PostgreSQL)`,
      m.peakRssMb,
      'MB',
      '<=',
      512,
      `peak heap ${m.peakHeapMb} MB (${m.nodeOptions.join(' ')}); at the peak RSS, heap ${m.atPeakRss.heapTotalMb} MB reserved (young generation ${m.atPeakRss.spacesMb.new_space ?? 0} MB), external ${m.atPeakRss.externalMb} MB; ${m.seconds.toFixed(1)} s, ${count(m.contactsInHubSpot)} contacts written; the report's funnel counts ${Object.entries(
        m.funnelPeople ?? {},
      )
        .map(([connection, n]) => `${count(n)} in ${connection}`)
        .join(', ')}; its state store calls took ${Object.values(m.reportSeconds ?? {})
        .reduce((a, b) => a + b, 0)
        .toFixed(1)} s (${Object.entries(m.reportSeconds ?? {})
        .map(([name, seconds]) => `${name} ${seconds} s`)
        .join(', ')})`,
    ),
  );
}
const [small, large] = [memory.at(-2), memory.at(-1)];
if (small !== undefined && large !== undefined && large.people > small.people && large.people < 1_000_000) {
  const perPerson = (large.peakRssMb - small.peakRssMb) / (large.people - small.people);
  const million = Math.round(large.peakRssMb + perPerson * (1_000_000 - large.people));
  add(
    row(
      'peak RSS of a 1,000,000-person one-direction first sync (extrapolated, not run)',
      million,
      'MB',
      '<=',
      512,
      `linear from the ${count(small.people)} and ${count(large.people)} runs: ${(perPerson * 1000).toFixed(2)} MB per 1,000 people`,
    ),
  );
}
details.memory = memory;
// The engine alone, the report left out: what the report adds in memory and time.
if (enginePeople > 0) {
  log(`peak memory of the same first sync of ${count(enginePeople)} people, the engine alone`);
  const m = await measureMemory(enginePeople, { withReport: false });
  const same = memory.find((r) => r.people === enginePeople);
  add(
    row(
      `peak RSS, one-direction first sync of ${count(enginePeople)} people, the engine alone (the report left out)`,
      m.peakRssMb,
      'MB',
      '<=',
      512,
      `peak heap ${m.peakHeapMb} MB; ${m.seconds.toFixed(1)} s${same === undefined ? '' : `; with the report: ${same.peakRssMb} MB, ${same.seconds.toFixed(1)} s`}`,
    ),
  );
  details.memoryEngineOnly = m;
}
await save();

// 4. Scale-out: the round shared by N worker processes on Redis and PostgreSQL, CPU-bound.
const redisUrl = readEnv().REDIS_URL;
const prefix = () => `{crm-bridge-bench-${randomBytes(5).toString('hex')}}`;
const fleets: FleetRun[] = [];
for (const workers of workerCounts) {
  log(`the round of ${count(fleetPeople)} people shared by ${workers} worker processes`);
  fleets.push(await runFleet({ people: fleetPeople, workers, redisUrl, prefix: prefix() }));
}
const base = fleets[0] as FleetRun;
const rate = (run: FleetRun) => run.records / run.seconds;
// The cores a round kept busy: its workers, the sandboxes answering them (this process), PostgreSQL and Redis.
const busy = (run: FleetRun) =>
  run.cpu === undefined
    ? undefined
    : (run.cpu.workers + run.cpu.bench + run.cpu.postgres + run.cpu.redis + run.cpu.other) / run.seconds;
const baseBusy = busy(base);
// More workers can at best add their rate until the machine's cores are all busy: the base round's work per
// record, spread over every core. Without a CPU count, the base round is taken to keep one core per worker busy.
const { most, theBound } =
  baseBusy === undefined
    ? {
        most: Math.max(1, cores) / base.workers,
        theBound: `${base.workers} worker's rate × workers, up to the ${cores} cores`,
      }
    : {
        most: cores / baseBusy,
        theBound: `${base.workers} worker's rate × workers, up to ${(cores / baseBusy).toFixed(2)}×: the ${cores} cores over the ${baseBusy.toFixed(2)} the ${base.workers}-worker round kept busy`,
      };
for (const run of fleets)
  add(
    row(
      `scale-out: ${count(fleetPeople)}-person round, ${run.workers} worker process${run.workers === 1 ? '' : 'es'}`,
      Math.round(rate(run)),
      'records/s',
      '>=',
      Math.round(rate(base) * Math.min(run.workers / base.workers, most)),
      `${count(run.records)} records in ${run.seconds.toFixed(1)} s; ${count(run.calls.sf)} Salesforce + ${count(run.calls.hs)} HubSpot calls (HubSpot's budget raised in the sandbox and the connection); bound: ${theBound}${run.cpu === undefined ? '' : `; CPU over the round (${cores} cores × ${run.seconds.toFixed(1)} s): ${describeCpu(run.cpu)}`}`,
    ),
  );
details.scaleOut = fleets.map(({ end: _end, ...run }) => run);
await save();

// 5. Redis Cluster: the same round on three masters, as is and with one master restarted mid-round.
log('the round on a three-master Redis Cluster');
const cluster = await startCluster();
try {
  const workers = Math.min(2, Math.max(...workerCounts));
  const plain = fleets.find((f) => f.workers === workers) ?? base;
  const onCluster = await runFleet({ people: fleetPeople, workers, redisUrl: cluster.url, prefix: prefix() });
  log('again, with one master restarted mid-round');
  const restartedPrefix = prefix();
  const restarted = await runFleet({
    people: fleetPeople,
    workers,
    redisUrl: cluster.url,
    prefix: restartedPrefix,
    during: async () => {
      // The master serving the queues' hash tag: every key of the round is there.
      const index = await cluster.ownerOf(restartedPrefix);
      const started = performance.now();
      await cluster.restart(index);
      return `the master holding the queues (port ${cluster.ports[index]}) killed and back in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    },
  });
  for (const [label, run] of [
    ['Redis Cluster (3 masters)', onCluster],
    ['Redis Cluster, one master restarted mid-round', restarted],
  ] as const) {
    const diff = differences(plain.end, run.end);
    add(
      row(
        `${label}: ${count(fleetPeople)}-person round, end state against plain Redis`,
        diff.length,
        'records different',
        '<=',
        0,
        `${workers} workers, ${run.seconds.toFixed(1)} s (plain Redis ${plain.seconds.toFixed(1)} s)${run.note === undefined ? '' : `; ${run.note}`}${run.failedAttempts > 0 ? `; ${run.failedAttempts} attempt(s) of the round failed first (${run.errors[0] ?? 'no error logged'}), the job's next attempt finished it` : ''}${diff.length > 0 ? `; first: ${diff[0]?.split('\n')[0]}` : ''}`,
      ),
    );
  }
  details.cluster = [onCluster, restarted].map(({ end: _end, ...run }) => run);
} finally {
  await cluster.close();
}

const table = markdownTable(rows);
console.log(table);
const seconds = (performance.now() - began) / 1000;
console.log(
  `\n${rows.filter((r) => r.met).length} of ${rows.length} targets met; the whole run took ${seconds.toFixed(0)} s on ${cores} cores`,
);
await save();
