import cliProgress from 'cli-progress';
import type { EntityName } from '../src/model/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import type { OnProgress, ProgressEvent } from '../src/sync/progress.ts';
import { apiCalls, callsBetween, entitiesOf } from '../src/sync/round.ts';
import type { Output } from './output.ts';

/** Where an entity's part of the round is, added up from the round's progress events. */
interface EntityState {
  stage: 'waiting' | 'pulling' | 'pushing' | 'done';
  pulled: number;
  writes: number;
  conversions: number;
  written: number;
  converted: number;
}

export interface ProgressOptions {
  /** Writes a line where problems and progress go (stderr: stdout keeps the report, or the JSON). */
  readonly write: (line: string) => void;
  /** The terminal behind `write`, if it is one: then the display is live bars instead of lines. */
  readonly terminal?: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined;
  /** The entities of the round, in round order. */
  readonly entities: readonly EntityName[];
  /** API calls so far per connection, read for each display. */
  readonly calls: () => Readonly<Record<string, number>>;
  /** Without a terminal, a line this often (default 10 s). */
  readonly everyMs?: number;
}

/** A live display of a round: a bar per entity on a terminal, a line every `everyMs` otherwise. */
export interface ProgressDisplay {
  readonly onProgress: OnProgress;
  /** Ends the display (the last state stays on screen). */
  stop(): void;
}

/**
 * Shows a long round as it goes, so that nobody sits before a silent terminal: on a TTY a bar per entity with its
 * stage (pulling n records, pushing written of planned), on anything else one line every 10 s once the round has
 * run that long. API calls per connection are shown beside the entities.
 */
export function progressDisplay(options: ProgressOptions): ProgressDisplay {
  const states = new Map<EntityName, EntityState>(
    options.entities.map((e) => [
      e,
      { stage: 'waiting', pulled: 0, writes: 0, conversions: 0, written: 0, converted: 0 },
    ]),
  );
  const apply = (event: ProgressEvent) => {
    const s = states.get(event.entity);
    if (s === undefined) return;
    switch (event.kind) {
      case 'pulled':
        s.stage = 'pulling';
        s.pulled += event.records;
        break;
      case 'planned':
        s.stage = 'pushing';
        s.writes = event.writes;
        s.conversions = event.conversions;
        break;
      case 'pushed':
        s.written += event.written;
        s.converted += event.converted;
        break;
      case 'recorded':
        s.stage = 'done';
        break;
    }
  };
  const calls = () =>
    Object.entries(options.calls())
      .map(([connection, n]) => `${connection} ${n.toLocaleString('en-US')}`)
      .join(', ');
  return options.terminal?.isTTY === true
    ? bars(options.terminal, states, apply, calls)
    : lines(options, states, apply, calls);
}

const n = (value: number) => value.toLocaleString('en-US');

function describeState(entity: string, s: EntityState): string {
  switch (s.stage) {
    case 'waiting':
      return `${entity}: waiting`;
    case 'pulling':
      return `${entity}: pulled ${n(s.pulled)}, planning`;
    case 'pushing':
      return `${entity}: written ${n(s.written)} of ${n(s.writes)}${s.conversions > 0 ? `, converted ${n(s.converted)} of ${n(s.conversions)}` : ''} (pulled ${n(s.pulled)})`;
    case 'done':
      return `${entity}: done, ${n(s.written)} written${s.converted > 0 ? `, ${n(s.converted)} converted` : ''}`;
  }
}

/** Without a terminal: one line every `everyMs` while the round runs, nothing for a round shorter than that. */
function lines(
  options: ProgressOptions,
  states: Map<EntityName, EntityState>,
  apply: (event: ProgressEvent) => void,
  calls: () => string,
): ProgressDisplay {
  const started = Date.now();
  const timer = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    const parts = [...states].map(([entity, s]) => describeState(entity, s));
    options.write(`progress ${seconds}s · ${parts.join(' · ')} · API calls ${calls() || 'none'}`);
  }, options.everyMs ?? 10_000);
  timer.unref();
  return { onProgress: apply, stop: () => clearInterval(timer) };
}

/** On a terminal: a bar per entity, redrawn as events come. */
function bars(
  terminal: NodeJS.WritableStream,
  states: Map<EntityName, EntityState>,
  apply: (event: ProgressEvent) => void,
  calls: () => string,
): ProgressDisplay {
  const multi = new cliProgress.MultiBar(
    {
      stream: terminal,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 24,
      fps: 5,
      format: (opts, params, payload: { entity: string; line: string; bar?: boolean }) => {
        if (payload.bar === false) return `${payload.entity.padEnd(12)} ${payload.line}`;
        const complete = Math.round(params.progress * (opts.barsize ?? 24));
        const bar = `${'█'.repeat(complete)}${'░'.repeat((opts.barsize ?? 24) - complete)}`;
        return `${payload.entity.padEnd(12)} ${bar} ${payload.line}`;
      },
    },
    cliProgress.Presets.shades_classic,
  );
  const byEntity = new Map(
    [...states.keys()].map((entity) => [entity, multi.create(1, 0, { entity, line: 'waiting' })]),
  );
  const footer = multi.create(1, 0, { entity: 'API calls', line: '', bar: false });
  let stopped = false;
  const redraw = () => {
    if (stopped) return;
    for (const [entity, s] of states) {
      const bar = byEntity.get(entity);
      const total = Math.max(1, s.writes + s.conversions);
      const done = s.stage === 'done' ? total : s.stage === 'pushing' ? s.written + s.converted : 0;
      bar?.setTotal(total);
      bar?.update(done, { entity, line: describeState(entity, s).slice(entity.length + 2) });
    }
    footer.update(0, { entity: 'API calls', line: calls() || 'none yet', bar: false });
  };
  return {
    onProgress: (event) => {
      apply(event);
      redraw();
    },
    stop: () => {
      if (stopped) return;
      redraw();
      stopped = true;
      multi.stop();
    },
  };
}

/** The display of one round over `ctx`, on `output`'s stderr: its entities, and the API calls made since now. */
export function roundProgress(ctx: SyncContext, output: Output): ProgressDisplay {
  const before = apiCalls(ctx);
  return progressDisplay({
    write: output.err,
    terminal: output.errTerminal,
    entities: entitiesOf(ctx),
    calls: () => callsBetween(before, apiCalls(ctx)),
  });
}
