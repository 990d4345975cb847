import type { PathSegment, Report } from '../config/yaml-source.ts';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const names = (value: unknown): [number, string][] =>
  Array.isArray(value)
    ? [...value.entries()].filter((entry): entry is [number, string] => typeof entry[1] === 'string')
    : [];

/**
 * The funnel must be a line: every stage once, outside stages apart from it, and every rule naming a stage that
 * exists. `allowBackward` may only list moves that forward-only would refuse; listing a forward move means the
 * author misread the order.
 */
export function checkStages(stage: Raw, conversion: Raw, report: Report): void {
  const position = new Map<string, number>();
  for (const [index, name] of names(stage.order)) {
    const first = position.get(name);
    if (first !== undefined)
      report(
        ['stage', 'order', index],
        `"${name}" is listed twice in the order (already order[${first}]); the funnel cannot loop back`,
      );
    else position.set(name, index);
  }
  const outside = new Set<string>();
  for (const [index, name] of names(stage.outside)) {
    if (position.has(name))
      report(['stage', 'outside', index], `"${name}" is in the order; a stage is either in it or outside`);
    else if (outside.has(name)) report(['stage', 'outside', index], `"${name}" is listed twice`);
    outside.add(name);
  }
  const known = [...position.keys(), ...outside];
  const unknown = (at: PathSegment[], name: unknown) => {
    if (typeof name === 'string' && !position.has(name) && !outside.has(name))
      report(at, `unknown stage; expected one of ${known.join(', ')}`, { withFound: true });
  };
  unknown(['stage', 'default'], stage.default);
  if (Array.isArray(stage.rules))
    for (const [index, rule] of stage.rules.entries())
      if (isRecord(rule)) unknown(['stage', 'rules', index, 'stage'], rule.stage);
  if (Array.isArray(stage.allowBackward))
    for (const [index, rule] of stage.allowBackward.entries()) {
      if (!isRecord(rule)) continue;
      const at: PathSegment[] = ['stage', 'allowBackward', index];
      for (const [i, name] of names(rule.from)) unknown([...at, 'from', i], name);
      for (const [i, name] of names(rule.to)) {
        unknown([...at, 'to', i], name);
        for (const [, from] of names(rule.from)) {
          const a = position.get(from);
          const b = position.get(name);
          if (from === name) report([...at, 'to', i], `"${name}" → "${name}" is not a move`);
          else if (a !== undefined && b !== undefined && b > a)
            report(
              [...at, 'to', i],
              `"${from}" → "${name}" is a forward move, always allowed; allowBackward lists moves back`,
            );
        }
      }
    }
  const hubspot = isRecord(conversion.hubspot) ? conversion.hubspot : {};
  const target = hubspot.lifecycleStage;
  if (typeof target === 'string' && !position.has(target))
    report(
      ['conversion', 'hubspot', 'lifecycleStage'],
      `expected a stage of the order (${[...position.keys()].join(', ')})`,
      {
        withFound: true,
      },
    );
}
