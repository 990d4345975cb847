/**
 * Where a machine's CPU went during a stretch of a benchmark, from Linux's `/proc`: the seconds spent by given
 * processes (the workers), by this process (the sandboxes answer in it), by PostgreSQL (its backends, and those that
 * ended meanwhile through the postmaster's reaped-children counters), by Redis, by everything else, and idle.
 * A round that the CPU bounds shows little idle time; a round with idle time waited on something else.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc`'s counters (`getconf CLK_TCK`, 100 on Linux). */
const TICKS = 100;

/** CPU seconds, by who spent them. */
export interface CpuSplit {
  readonly workers: number;
  readonly bench: number;
  readonly postgres: number;
  readonly redis: number;
  readonly other: number;
  readonly idle: number;
}

interface Counters {
  /** Per process id: its command name and ticks (own, and of its reaped children). */
  readonly processes: Map<number, { name: string; own: number; reaped: number }>;
  /** The machine's busy and idle ticks, over all cores (`/proc/stat`). */
  readonly busy: number;
  readonly idle: number;
}

function readProcess(pid: number): { name: string; own: number; reaped: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields counted start after its closing one.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // Fields 14–17 of proc(5) (utime, stime, cutime, cstime) are 11–14 here, counted from field 3.
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return { name, own: (utime ?? 0) + (stime ?? 0), reaped: (cutime ?? 0) + (cstime ?? 0) };
  } catch {
    return undefined; // ended between the listing and the read
  }
}

function read(): Counters {
  const processes = new Map<number, { name: string; own: number; reaped: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const counters = readProcess(pid);
    if (counters !== undefined) processes.set(pid, counters);
  }
  const cpu =
    readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: idle and iowait are idle time.
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (cpu[i] ?? 0), 0);
  return { processes, busy, idle };
}

/** Starts counting; the returned function gives the split since, with `workers` the worker processes' ids. */
export function countCpu(): (workers: readonly number[]) => CpuSplit {
  const start = read();
  return (workers) => {
    const end = read();
    const spent = (pid: number, reaped = false) => {
      const a = start.processes.get(pid);
      const b = end.processes.get(pid);
      if (b === undefined) return 0;
      return (b.own - (a?.own ?? 0) + (reaped ? b.reaped - (a?.reaped ?? 0) : 0)) / TICKS;
    };
    const split = { workers: 0, bench: 0, postgres: 0, redis: 0 };
    for (const [pid, p] of end.processes) {
      if (workers.includes(pid)) split.workers += spent(pid);
      else if (pid === process.pid) split.bench += spent(pid);
      // The postmaster counts its backends that ended as its reaped children.
      else if (p.name === 'postgres') split.postgres += spent(pid, true);
      else if (p.name.startsWith('redis-server')) split.redis += spent(pid);
    }
    const busy = (end.busy - start.busy) / TICKS;
    const counted = split.workers + split.bench + split.postgres + split.redis;
    return { ...split, other: Math.max(0, busy - counted), idle: (end.idle - start.idle) / TICKS };
  };
}

/** A split as `workers 120.3 s, bench 40.1 s, …` with each one's share of the cores' time. */
export function describeCpu(split: CpuSplit): string {
  const total = Object.values(split).reduce((a, b) => a + b, 0);
  return Object.entries(split)
    .map(([who, s]) => `${who} ${s.toFixed(1)} s (${Math.round((100 * s) / Math.max(total, 1e-9))} %)`)
    .join(', ');
}
