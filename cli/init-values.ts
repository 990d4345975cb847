/*
 * crm-bridge init's value maps: the example config's maps, checked against the picklist values each CRM holds,
 * and completed with the values both CRMs name alike. Pure functions over plain data.
 */

/** One CRM's active values of the fields a value map translates. */
export interface SideValues {
  /** False when no mapped field exists there as a picklist yet (setup creates it): the example's values stand. */
  readonly known: boolean;
  /** Active values, with the fields (`Object.Field`) that hold each. */
  readonly values: ReadonlyMap<string, readonly string[]>;
  /** The label of each value whose label is not the value itself (`Marketing Qualified Lead`). */
  readonly labels?: ReadonlyMap<string, string>;
}

/** A value one CRM holds that no entry of the map could be paired with. */
export interface Undecided {
  readonly connection: string;
  readonly value: string;
  /** Its label, when it is not the value itself. */
  readonly label?: string;
  readonly fields: readonly string[];
}

/** A value map as `crm-bridge init` writes it. */
export interface PairedMap {
  /** Entries (unified value → value or values per connection) and the map's settings, in the order written. */
  readonly entries: Record<string, unknown>;
  /** Entries added because both CRMs hold a value named alike. */
  readonly added: readonly string[];
  /** Values the example named that a CRM does not hold (left out of that side). */
  readonly missing: readonly { connection: string; value: string }[];
  /** CRM values left for the operator to decide. */
  readonly undecided: readonly Undecided[];
}

const SETTINGS = new Set(['fallback', 'passthrough']);

/** How two values are compared for pairing: case, spaces and punctuation aside (`Closed Won` ~ `closedwon`). */
export const normalized = (value: string): string => value.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A unified value's name for a new entry (`Partner Referral` → `partnerReferral`). */
export function unifiedName(value: string): string {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const name = words.map((w, i) => (i === 0 ? w : w[0]?.toUpperCase() + w.slice(1))).join('');
  return /^[a-z]/.test(name) ? name : `v${name}`;
}

/** The spellings a value is known by for pairing: its API value's and its label's, normalized. */
const spellings = (value: string, label: string | undefined): string[] =>
  [...new Set([normalized(value), ...(label === undefined ? [] : [normalized(label)])])].filter(
    (s) => s !== '',
  );

const asList = (target: unknown): string[] =>
  target === undefined || target === null
    ? []
    : Array.isArray(target)
      ? target.map(String)
      : [String(target)];

/**
 * Pairs one value map with what the CRMs hold. Each entry of the example keeps, per side, the values that CRM holds
 * (spelled as it spells them; a side where the field does not exist yet keeps the example's values, which setup
 * creates). Values no entry names are paired across the two CRMs when their API value or their label is the same as
 * the other's value or label once case, spaces and punctuation are set aside (`TRADE_SHOW` and `Trade Show`, or
 * HubSpot's stage `1039256` labelled "Closed Won" and Salesforce's `Closed Won`); the rest are left to decide.
 */
export function pairValueMap(
  example: Readonly<Record<string, unknown>>,
  sides: Readonly<Record<string, SideValues>>,
): PairedMap {
  const connections = Object.keys(sides);
  const entries: Record<string, unknown> = {};
  const missing: { connection: string; value: string }[] = [];
  const used = new Map(connections.map((c) => [c, new Set<string>()]));
  const lookup = new Map(
    connections.map((c) => [
      c,
      new Map([...(sides[c]?.values.keys() ?? [])].map((v) => [v.toLowerCase(), v])),
    ]),
  );
  /**
   * The value a CRM holds for one the example names: the same value (case aside), else the one value whose value
   * or label is spelled alike (a portal's deal stage `1039257` labelled "Closed Won" for `closedwon`).
   */
  const heldFor = (c: string, value: string): string | undefined => {
    const same = lookup.get(c)?.get(value.toLowerCase());
    if (same !== undefined) return same;
    const alike = [...(sides[c]?.values.keys() ?? [])].filter((v) =>
      spellings(v, sides[c]?.labels?.get(v)).includes(normalized(value)),
    );
    return alike.length === 1 ? alike[0] : undefined;
  };
  for (const [name, target] of Object.entries(example)) {
    if (SETTINGS.has(name)) {
      entries[name] = target;
      continue;
    }
    const perSide: Record<string, string | string[]> = {};
    for (const c of connections) {
      const wanted =
        target !== null && typeof target === 'object' && !Array.isArray(target)
          ? asList((target as Record<string, unknown>)[c])
          : asList(target);
      const side = sides[c];
      const kept: string[] = [];
      for (const value of wanted) {
        const held = side?.known ? heldFor(c, value) : value;
        if (held === undefined) missing.push({ connection: c, value });
        else if (!kept.includes(held)) kept.push(held);
        if (held !== undefined) used.get(c)?.add(held);
      }
      if (kept.length > 0) perSide[c] = kept.length === 1 ? (kept[0] as string) : kept;
    }
    if (Object.keys(perSide).length > 0) entries[name] = perSide;
  }
  const free = (c: string) =>
    [...(sides[c]?.values.keys() ?? [])].filter((v) => !used.get(c)?.has(v) && sides[c]?.known);
  const added: string[] = [];
  const [a, b] = connections;
  if (a !== undefined && b !== undefined) {
    const labelOf = (c: string, value: string) => sides[c]?.labels?.get(value);
    // Each free value of b under its value's and its label's spelling; a spelling two values share pairs neither.
    const others = new Map<string, string | null>();
    for (const value of free(b))
      for (const key of spellings(value, labelOf(b, value)))
        others.set(key, others.has(key) && others.get(key) !== value ? null : value);
    for (const value of free(a)) {
      const found = spellings(value, labelOf(a, value)).map((key) => others.get(key));
      const twins = new Set(found.filter((t) => t !== undefined));
      const [twin] = twins;
      // Unpaired, or more than one value of b answers to it: left to decide, never guessed.
      if (twins.size !== 1 || twin === undefined || twin === null || used.get(b)?.has(twin)) continue;
      let name = unifiedName(labelOf(a, value) ?? value);
      while (name in entries) name = `${name}2`;
      entries[name] = { [a]: value, [b]: twin };
      added.push(name);
      used.get(a)?.add(value);
      used.get(b)?.add(twin);
    }
  }
  const undecided = connections.flatMap((c) =>
    free(c).map((value) => {
      const label = sides[c]?.labels?.get(value);
      return {
        connection: c,
        value,
        ...(label === undefined ? {} : { label }),
        fields: sides[c]?.values.get(value) ?? [],
      };
    }),
  );
  return { entries, added, missing, undecided };
}
