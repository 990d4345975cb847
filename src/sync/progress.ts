import type { EntityName } from '../model/index.ts';

/**
 * What a round is doing, as it does it: for a live display on a terminal, a line every few seconds in a log, or the
 * worker's job progress. Counts are for the event's own step (a page pulled, a batch pushed); a listener adds up.
 */
export type ProgressEvent =
  /** A page of `object` was read from `connection`. */
  | {
      readonly kind: 'pulled';
      readonly entity: EntityName;
      readonly target: string;
      readonly records: number;
    }
  /** The entity is planned: its writes and conversions, in batches. */
  | {
      readonly kind: 'planned';
      readonly entity: EntityName;
      readonly writes: number;
      readonly conversions: number;
      readonly batches: number;
    }
  /** One batch was pushed: how many records it wrote and converted. */
  | {
      readonly kind: 'pushed';
      readonly entity: EntityName;
      readonly written: number;
      readonly converted: number;
    }
  /** The entity is recorded: its part of the round is done. */
  | { readonly kind: 'recorded'; readonly entity: EntityName };

export type OnProgress = (event: ProgressEvent) => void;
