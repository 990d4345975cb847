/**
 * A unified field path split once at compile time: `email` → (email), `address.city` → (address, city),
 * `custom.budget` → (custom, budget). The model nests one level at most.
 */
export interface UnifiedPath {
  /** The top-level key of the unified record. */
  readonly top: string;
  /** The key inside it, for nested fields and custom fields. */
  readonly sub: string | undefined;
}

export function parsePath(path: string): UnifiedPath {
  const dot = path.indexOf('.');
  if (dot < 0) return { top: path, sub: undefined };
  if (path.indexOf('.', dot + 1) >= 0)
    throw new Error(`unified path ${path} nests deeper than the model does`);
  return { top: path.slice(0, dot), sub: path.slice(dot + 1) };
}

type Bag = Record<string, unknown>;

export function getPath(record: object, path: UnifiedPath): unknown {
  const top = (record as Bag)[path.top];
  if (path.sub === undefined) return top;
  return typeof top === 'object' && top !== null ? (top as Bag)[path.sub] : undefined;
}

export function setPath(record: Bag, path: UnifiedPath, value: unknown): void {
  if (path.sub === undefined) {
    record[path.top] = value;
    return;
  }
  let inner = record[path.top] as Bag | undefined;
  if (inner === undefined) {
    inner = {};
    record[path.top] = inner;
  }
  inner[path.sub] = value;
}
