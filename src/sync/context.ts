import type { BridgeConfig } from '../config/schema.ts';
import type { Connector } from '../connector/types.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import type { CompiledPolicy } from '../policy/index.ts';
import type { Store } from '../store/index.ts';
import type { OnProgress } from './progress.ts';

/** Everything one sync round works with. */
export interface SyncContext {
  readonly config: BridgeConfig;
  readonly mapping: CompiledMapping;
  /** The lead-vs-contact policy; without one, people are synced but not classified. */
  readonly policy: CompiledPolicy | undefined;
  readonly store: Store;
  /** A connector per connection name of the pair. */
  readonly connectors: Readonly<Record<string, Connector>>;
  /** The clock (tests pass a fixed one). */
  readonly now: () => Date;
  /** The config file, to point problems found against the CRMs at its lines. */
  readonly configFile?: string;
  /**
   * The longest text each target field takes, keyed `connection/object/field`, from the CRMs' describe data (set
   * for the round's planning): a longer value is left unwritten and reported, rather than refused with the record.
   */
  readonly fieldLengths?: ReadonlyMap<string, number>;
  /** Told what the round is doing as it does it (pages pulled, entities planned, batches pushed). */
  readonly onProgress?: OnProgress;
}

/** Milliseconds of a config duration such as `2m`. */
export function durationMs(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/**
 * What the deciding stages (resolve, merge, classify, plan) work with: the round's context without its store. They
 * read what the loader found (`Known`) and write nothing; the type keeps a store read from creeping back in.
 */
export type DecideContext = Omit<SyncContext, 'store'>;
