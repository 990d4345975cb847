/**
 * Three `crm-bridge worker` processes share one two-way round of 20,000 people, HubSpot held at 100 requests per
 * 10 s: `npm run bench:workers [-- --people N --workers N]`. State in a fresh PostgreSQL schema, queues and the
 * shared API budget in Redis under a fresh prefix (both removed after).
 *
 * Prints the round's time against HubSpot's bound (the calls it made at 100 per 10 s), the 429s, how the push
 * batches spread over the workers, and checks what the acceptance asks: every record written exactly once per
 * target (the sandboxes count API writes per record), no duplicate person or company, no overlapping rounds.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { readEnv } from '../src/env.ts';
import { postgresDatabase } from '../test/support/databases.ts';
import { duplicates, overlapping, startFleet, writeCounts } from '../test/support/worker-fleet.ts';

const { values } = parseArgs({
  options: { people: { type: 'string', default: '20000' }, workers: { type: 'string', default: '3' } },
});
const PER_WINDOW = 100;
const WINDOW_S = 10;

type LogLine = Record<string, unknown>;

/** Per entity, in round order: when it was planned, when its batches were pushed, when it was recorded. */
function timeline(lines: readonly LogLine[], startedAt: number): string[] {
  // The workers log ISO 8601 times; shown in seconds from the request.
  const at = (line: LogLine) => ((Date.parse(String(line.time)) - startedAt) / 1000).toFixed(1);
  const planned = lines
    .filter((l) => l.msg === 'entity planned')
    .sort((a, b) => Number(at(a)) - Number(at(b)));
  return planned.map((plan) => {
    const pushed = lines.filter((l) => l.msg === 'batch pushed' && l.entity === plan.entity);
    const byQueue = [...Map.groupBy(pushed, (l) => String(l.queue))].sort(([a], [b]) => a.localeCompare(b));
    const recorded = lines.find((l) => l.msg === 'entity recorded' && l.entity === plan.entity);
    return [
      `${String(plan.entity).padEnd(12)} planned ${at(plan)}`,
      ...byQueue.map(([queue, batches]) => {
        const times = batches.map(at).sort((a, b) => Number(a) - Number(b));
        return `${queue} ${times[0]}–${times.at(-1)} (${batches.length} batches)`;
      }),
      `recorded ${recorded ? at(recorded) : 'never'}`,
    ].join(', ');
  });
}

const db = postgresDatabase();
// A fleet that fails to start removes what it made; the schema is dropped whatever happens.
const fleet = await startFleet({
  people: Number(values.people),
  workers: Number(values.workers),
  databaseUrl: db.url,
  redisUrl: readEnv().REDIS_URL,
  prefix: `{crm-bridge-bench-${randomBytes(5).toString('hex')}}`,
  hubspotPerWindow: PER_WINDOW,
}).catch(async (error: unknown) => {
  await db.drop();
  throw error;
});
try {
  const hsBefore = fleet.hs.calls();
  const sfBefore = fleet.sf.calls();
  const started = performance.now();
  const startedAt = Date.now();
  await fleet.request('manual');
  const runs = await fleet.rounds(1, 30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  const hsCalls = fleet.hs.calls() - hsBefore;
  const sfCalls = fleet.sf.calls() - sfBefore;
  // An empty rolling window admits PER_WINDOW calls at once, then PER_WINDOW per window.
  const bound = (Math.ceil(hsCalls / PER_WINDOW) - 1) * WINDOW_S;
  const counts = writeCounts(fleet);
  const twice = Object.values(counts).reduce((n, c) => n + c.twice, 0);
  const repeated = Object.entries(duplicates(fleet)).filter(([, keys]) => keys.length > 0);
  const batches = fleet.logs.map((lines) => lines.filter((l) => l.msg === 'batch pushed').length);
  const steps = fleet.logs.map((lines) => lines.filter((l) => l.msg === 'entity planned').length);

  console.log(
    `people seeded:        ${values.people}, ${values.workers} worker processes, HubSpot at ${PER_WINDOW} requests / ${WINDOW_S} s`,
  );
  console.log(`round:                ${seconds.toFixed(1)} s`);
  console.log(
    `HubSpot:              ${hsCalls} calls, ${JSON.stringify(fleet.hs.limiter.refused)} refused; bound at ${PER_WINDOW} / ${WINDOW_S} s: ${bound} s (${(seconds / Math.max(1, bound)).toFixed(2)}× the bound)`,
  );
  console.log(`Salesforce:           ${sfCalls} calls`);
  console.log(`push batches/worker:  ${batches.join(' / ')}; plan steps/worker: ${steps.join(' / ')}`);
  for (const [target, c] of Object.entries(counts))
    if (c.records > 0)
      console.log(
        `  ${target.padEnd(18)} ${c.records} records written, ${c.writes} writes, at most ${c.most} per record`,
      );
  console.log('timeline (s from the request; pushes: first to last batch, per queue):');
  for (const line of timeline(fleet.logs.flat(), startedAt)) console.log(`  ${line}`);
  console.log(`records written twice: ${twice}`);
  console.log(`duplicates:           ${repeated.length === 0 ? 'none' : JSON.stringify(repeated)}`);
  console.log(`overlapping rounds:   ${overlapping(runs).length}`);
  if (twice > 0 || repeated.length > 0 || overlapping(runs).length > 0) process.exitCode = 1;
} finally {
  await fleet.stop();
  await fleet.close();
  await db.drop();
}
