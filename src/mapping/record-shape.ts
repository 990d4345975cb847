/** Marks a key not set in the record being built. */
const ABSENT = Symbol('absent');

/** Key sequences given a template each, per builder: far more than records of one object have in practice. */
const MAX_SHAPES = 256;

/** A sequence of keys, as a node of the tree of all sequences seen: each key set first extends it by one. */
interface Shape {
  /** The sequences one key longer, by the slot of that key. */
  readonly next: (Shape | undefined)[];
  /** An object with the keys of this sequence, in order, made when a record first ends with it. */
  template: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Builds the top level of the records one mapper makes, from keys known when it is compiled.
 *
 * Why not assign each key to the record as it is mapped: V8 keeps an object in a fixed layout (a hidden class, read
 * at a known offset) only while few properties (about 16) were added to it by computed keys, and a person has up to
 * 35; past that the object becomes a hash table, slower to build and slower to read for everything that reads it
 * later (the policy, JSON.stringify). So a record's values are collected first, by slot, and then stored into a
 * copy of a template object that already has the record's keys: copying keeps the fixed layout, and storing to a key
 * that exists adds none. There is a template per sequence in which keys were first set (a record with a field left
 * out has one key fewer), so each record gets the keys, in the order, that assigning them one by one gives.
 *
 * One builder serves one record at a time: `begin`, then `set`, then `build`.
 */
export class RecordShape {
  readonly #keys: string[] = [];
  /** The values of the record being built, by slot; ABSENT where not set. */
  readonly #values: unknown[] = [];
  /** The slots set in the record being built, in the order they were first set. */
  readonly #order: number[] = [];
  readonly #root: Shape = { next: [], template: undefined };
  /** The shape of the keys set so far; undefined once past MAX_SHAPES. */
  #at: Shape | undefined = this.#root;
  #shapes = 0;

  /** The slot of a key, added if new; for compile time, before any record is built. */
  slot(key: string): number {
    const known = this.#keys.indexOf(key);
    if (known >= 0) return known;
    this.#keys.push(key);
    this.#values.push(ABSENT);
    return this.#keys.length - 1;
  }

  /** Starts a record: no key set (whatever a record left unfinished, by an exception, is cleared). */
  begin(): void {
    const values = this.#values;
    const order = this.#order;
    for (let i = 0; i < order.length; i++) values[order[i] as number] = ABSENT;
    order.length = 0;
    this.#at = this.#root;
  }

  /** Sets a key; a key set again keeps its place. */
  set(slot: number, value: unknown): void {
    if (this.#values[slot] === ABSENT) {
      this.#order.push(slot);
      const at = this.#at;
      if (at !== undefined) this.#at = at.next[slot] ?? this.#extend(at, slot);
    }
    this.#values[slot] = value;
  }

  /** The value a key was set to in this record, or undefined. */
  get(slot: number): unknown {
    const value = this.#values[slot];
    return value === ABSENT ? undefined : value;
  }

  /** The record: a new object with the keys set, in the order they were first set. */
  build(): Record<string, unknown> {
    const keys = this.#keys;
    const values = this.#values;
    const order = this.#order;
    const shape = this.#at;
    // A record of yet another shape past the bound: built directly (as fast to read, slower to build).
    if (shape === undefined) return Object.fromEntries(order.map((slot) => [keys[slot], values[slot]]));
    shape.template ??= Object.fromEntries(order.map((slot) => [keys[slot], undefined]));
    const out: Record<string, unknown> = { ...shape.template };
    for (let i = 0; i < order.length; i++) {
      const slot = order[i] as number;
      out[keys[slot] as string] = values[slot];
    }
    return out;
  }

  #extend(shape: Shape, slot: number): Shape | undefined {
    if (this.#shapes >= MAX_SHAPES) return undefined;
    const next: Shape = { next: [], template: undefined };
    shape.next[slot] = next;
    this.#shapes++;
    return next;
  }
}
