import { writesTo } from '../config/semantics.ts';
import type { EntityName } from '../model/index.ts';
import { outboundCoercion } from './coerce.ts';
import type { Encode } from './encode.ts';
import { partRank, recombine, splitForFields } from './field-shape.ts';
import type { FieldSpec } from './field-spec.ts';
import { Invalid, runSteps, type Step } from './step.ts';
import type { ExternalFields, FieldFailure, OutboundMapper } from './types.ts';
import { getPath, type UnifiedPath } from './unified-path.ts';

/** One unified value on its way out, up to (not including) the shape of the external field(s). */
interface Source {
  readonly unified: string;
  readonly path: UnifiedPath;
  readonly fillsAbsent: boolean;
  /** Type check (links → this connection's id), then the value map, then the transforms in list order. */
  readonly steps: readonly Step[];
  /** Whether a refused value holds the whole record (`onInvalid: hold`) rather than leaving the field out. */
  readonly hold: boolean;
  /** The unified value written instead of a refused one (`onInvalid: { default }`). */
  readonly fallback: unknown;
}

/** What one external write is made of: one field, one value split over several fields, or several parts recombined. */
type Writer =
  | { readonly shape: 'field'; readonly source: Source; readonly name: string; readonly external: string }
  | {
      readonly shape: 'join';
      readonly source: Source;
      readonly names: readonly string[];
      readonly separator: string;
      readonly external: string;
    }
  | {
      readonly shape: 'split';
      readonly sources: readonly Source[];
      readonly name: string;
      readonly separator: string;
    };

function sourceOf(spec: FieldSpec, connection: string): Source {
  const steps: Step[] = [outboundCoercion(spec.type, connection)];
  if (spec.valueMap !== undefined) steps.push(spec.valueMap.outbound);
  steps.push(...spec.transforms.outbound);
  const { onInvalid } = spec;
  return {
    unified: spec.unified,
    path: spec.path,
    fillsAbsent: spec.transforms.fillsAbsentOutbound,
    steps,
    hold: onInvalid === 'hold',
    fallback: typeof onInvalid === 'object' ? onInvalid.default : undefined,
  };
}

/** Mappings that each take one part of the same external field, gathered while writers are collected. */
interface SplitGroup {
  readonly name: string;
  readonly separator: string;
  readonly parts: { readonly rank: number; readonly source: Source }[];
  writes: boolean;
}

/**
 * The writes for one connection, in config order. Only fields whose rule writes to the connection take part;
 * mappings that split one external field are recombined into one writer (parts in order), written when any
 * part's rule writes there, since leaving a part out would truncate the field.
 */
function writersFor(specs: readonly FieldSpec[], connection: string): Writer[] {
  const collected: (Writer | SplitGroup)[] = [];
  const groups = new Map<string, SplitGroup>();
  for (const spec of specs) {
    const { split, join } = spec.transforms;
    const writes = writesTo(spec.rule, connection);
    const name = spec.names[0] as string;
    if (split !== undefined) {
      let group = groups.get(name);
      if (group === undefined) {
        group = { name, separator: split.separator, parts: [], writes: false };
        groups.set(name, group);
        collected.push(group);
      }
      group.parts.push({ rank: partRank(split.take), source: sourceOf(spec, connection) });
      group.writes ||= writes;
    } else if (writes) {
      const source = sourceOf(spec, connection);
      const external = spec.external;
      collected.push(
        join === undefined
          ? { shape: 'field', source, name, external }
          : { shape: 'join', source, names: spec.names, separator: join, external },
      );
    }
  }
  return collected.flatMap((item): Writer[] => {
    if (!('parts' in item)) return [item];
    if (!item.writes) return [];
    const sources = item.parts.toSorted((a, b) => a.rank - b.rank).map((part) => part.source);
    return [{ shape: 'split', sources, name: item.name, separator: item.separator }];
  });
}

/** Runs a source's steps; undefined means "nothing to write". A refused value gives way to the default, if any. */
function outgoingValue(source: Source, unified: object): unknown {
  const value = getPath(unified, source.path);
  if (value === undefined && !source.fillsAbsent) return undefined;
  const out = runSteps(source.steps, value);
  if (!(out instanceof Invalid) || source.fallback === undefined) return out;
  const fallback = runSteps(source.steps, source.fallback);
  return fallback instanceof Invalid ? out : fallback;
}

/** Compiles the unified → external mapper for one external object. */
export function compileOutbound<E extends EntityName>(
  specs: readonly FieldSpec[],
  connection: string,
  object: string,
  encode: Encode,
): OutboundMapper<E> {
  const writers = writersFor(specs, connection);
  const fail = (
    failures: FieldFailure[] | undefined,
    source: Source,
    external: string,
    unified: object,
    reason: string,
  ): FieldFailure[] => {
    const list = failures ?? [];
    list.push({
      unified: source.unified,
      connection,
      object,
      external,
      value: getPath(unified, source.path),
      reason,
      hold: source.hold,
    });
    return list;
  };

  return (unified) => {
    const out: ExternalFields = {};
    let failures: FieldFailure[] | undefined;
    for (let i = 0; i < writers.length; i++) {
      const writer = writers[i] as Writer;
      if (writer.shape === 'split') {
        const parts: unknown[] = [];
        let refused = false;
        for (const source of writer.sources) {
          const part = outgoingValue(source, unified);
          if (part instanceof Invalid) {
            failures = fail(failures, source, writer.name, unified, part.reason);
            refused = true;
          } else parts.push(part);
        }
        // A field made of parts is written whole or not at all: without a part it would lose that part's text.
        if (refused) continue;
        const value = recombine(parts, writer.separator);
        if (value !== undefined) out[writer.name] = encode(value);
        continue;
      }
      const value = outgoingValue(writer.source, unified);
      if (value === undefined) continue;
      if (value instanceof Invalid)
        failures = fail(failures, writer.source, writer.external, unified, value.reason);
      else if (writer.shape === 'field') out[writer.name] = encode(value);
      else {
        const values = splitForFields(value, writer.names.length, writer.separator);
        for (let n = 0; n < values.length; n++) out[writer.names[n] as string] = encode(values[n]);
      }
    }
    return failures === undefined ? { ok: true, value: out } : { ok: false, failures, value: out };
  };
}
