/**
 * The records of a large pull window that must be planned together: those that share a key (a match value, a
 * unified id, a record one of them names as its twin or as the contact it became) can be one unified record, so
 * they go into the same slice. Records are numbered in the order they were read; `slices` packs whole groups of
 * companions, in that order, into slices of about `size` records.
 *
 * Memory stays small whatever the window: keys are kept as 32-bit hashes in typed arrays, never as strings. Two
 * different keys with the same hash only put unrelated records into one slice, which plans them exactly as if
 * they were apart.
 */
export class Companions {
  #parent = new Int32Array(1024);
  #count = 0;
  /** Open addressing: slot → key hash (0 for empty) and the first record that had the key. */
  #hashes = new Int32Array(1 << 12);
  #owners = new Int32Array(1 << 12);
  #keys = 0;

  /** How many records were added. */
  get size(): number {
    return this.#count;
  }

  /** Adds the next record with its keys; returns its number. */
  add(keys: Iterable<string>): number {
    const seq = this.#count++;
    if (seq >= this.#parent.length) this.#parent = grown(this.#parent, this.#parent.length * 2);
    this.#parent[seq] = seq;
    for (const key of keys) {
      const owner = this.#claim(hash(key), seq);
      if (owner !== seq) this.#union(owner, seq);
    }
    return seq;
  }

  /**
   * The records in slices of at least `size` (but the last), each group of companions whole and in one slice; a
   * group larger than `size` makes a slice of its own. Slices keep the order in which records were added.
   */
  slices(size: number): number[][] {
    const n = this.#count;
    // Groups in the order of their first record, each record after the others of its group.
    const order = new Int32Array(n);
    // A root is its group's first record, so groups are numbered in order of their first record.
    const groupOf = new Int32Array(n);
    let groups = 0;
    for (let seq = 0; seq < n; seq++) {
      const root = this.#find(seq);
      groupOf[seq] = root === seq ? groups++ : (groupOf[root] as number);
    }
    const sizes = new Int32Array(groups + 1);
    for (let seq = 0; seq < n; seq++) {
      const next = (groupOf[seq] as number) + 1;
      sizes[next] = (sizes[next] as number) + 1;
    }
    for (let g = 1; g <= groups; g++) sizes[g] = (sizes[g] as number) + (sizes[g - 1] as number);
    const starts = sizes.slice(0, groups + 1);
    for (let seq = 0; seq < n; seq++) {
      const g = groupOf[seq] as number;
      order[starts[g] as number] = seq;
      starts[g] = (starts[g] as number) + 1;
    }
    const out: number[][] = [];
    let current: number[] = [];
    for (let g = 0; g < groups; g++) {
      for (let i = sizes[g] as number; i < (sizes[g + 1] as number); i++) current.push(order[i] as number);
      if (current.length >= size) {
        out.push(current);
        current = [];
      }
    }
    if (current.length > 0) out.push(current);
    return out;
  }

  /** The record that first had this key hash (`seq` when it is new). */
  #claim(h: number, seq: number): number {
    if ((this.#keys + 1) * 2 > this.#hashes.length) this.#rehash();
    const mask = this.#hashes.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const at = this.#hashes[slot] as number;
      if (at === 0) {
        this.#hashes[slot] = h;
        this.#owners[slot] = seq;
        this.#keys++;
        return seq;
      }
      if (at === h) return this.#owners[slot] as number;
    }
  }

  #rehash(): void {
    const hashes = this.#hashes;
    const owners = this.#owners;
    this.#hashes = new Int32Array(hashes.length * 2);
    this.#owners = new Int32Array(hashes.length * 2);
    const mask = this.#hashes.length - 1;
    for (let i = 0; i < hashes.length; i++) {
      const h = hashes[i] as number;
      if (h === 0) continue;
      let slot = h & mask;
      while (this.#hashes[slot] !== 0) slot = (slot + 1) & mask;
      this.#hashes[slot] = h;
      this.#owners[slot] = owners[i] as number;
    }
  }

  #find(seq: number): number {
    let root = seq;
    while (this.#parent[root] !== root) root = this.#parent[root] as number;
    // Path halving on the way back keeps the trees flat.
    let at = seq;
    while (this.#parent[at] !== root) {
      const next = this.#parent[at] as number;
      this.#parent[at] = root;
      at = next;
    }
    return root;
  }

  #union(a: number, b: number): void {
    const ra = this.#find(a);
    const rb = this.#find(b);
    // The earlier record stays the root: a group is ordered by its first record.
    if (ra < rb) this.#parent[rb] = ra;
    else if (rb < ra) this.#parent[ra] = rb;
  }
}

function grown(a: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const out = new Int32Array(length);
  out.set(a);
  return out;
}

/** FNV-1a over the key's UTF-16 code units; never 0 (the empty slot). */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h === 0 ? 1 : h;
}
