import { isMap, isScalar, parseDocument } from 'yaml';
import { parseConfig } from '../src/config/load.ts';
import type { BridgeConfig } from '../src/config/schema.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import type { EntityName } from '../src/model/index.ts';

/** The rules a field may have between the two connections of the pair, as the config spells them. */
export function ruleChoices(pair: readonly string[]): { rule: string; means: string }[] {
  const [a = '', b = ''] = pair;
  return [
    { rule: 'two-way', means: 'the latest change wins, either way' },
    { rule: `prefer:${a}`, means: `${a}'s value unless it is blank, else ${b}'s` },
    { rule: `prefer:${b}`, means: `${b}'s value unless it is blank, else ${a}'s` },
    { rule: `always:${a}`, means: `${a} owns it: its value always wins` },
    { rule: `always:${b}`, means: `${b} owns it: its value always wins` },
    { rule: `one-way:${a}->${b}`, means: `copied from ${a} to ${b}, never back` },
    { rule: `one-way:${b}->${a}`, means: `copied from ${b} to ${a}, never back` },
    { rule: 'none', means: 'read for the policy, written to neither' },
  ];
}

export type RuleEdit =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Sets the rule of one field (`objects.<entity>.fields[<unified>].rule`) in the config text, touching nothing else:
 * an existing `rule:` value is replaced where it stands; a field without one gets `, rule: <rule>` before the closing
 * brace of its `{ … }` line, or a `rule:` line at its keys' indentation. The result must validate as a whole config.
 */
export function editRule(
  text: string,
  file: string,
  entity: EntityName,
  unified: string,
  rule: string,
  pair: readonly string[],
): RuleEdit {
  if (!ruleChoices(pair).some((c) => c.rule === rule))
    return { ok: false, problems: [`"${rule}" is not a rule between ${pair.join(' and ')}`] };
  const doc = parseDocument(text);
  const fields = doc.getIn(['objects', entity, 'fields'], true) as { items?: unknown[] } | undefined;
  const node = (fields?.items ?? []).find(
    (item) =>
      isMap(item) &&
      String((item.get('unified', true) as { value?: unknown } | undefined)?.value) === unified,
  );
  if (!isMap(node) || node.range === undefined || node.range === null)
    return { ok: false, problems: [`${file}: objects.${entity} maps no field ${unified}`] };
  const current = node.get('rule', true);
  let out: string;
  if (isScalar(current) && current.range) {
    if (String(current.value) === rule) return { ok: true, text, changed: false };
    out = text.slice(0, current.range[0]) + rule + text.slice(current.range[1]);
  } else if (node.flow) {
    if (rule === 'two-way') return { ok: true, text, changed: false };
    const close = text.lastIndexOf('}', node.range[1]);
    const before = text.slice(0, close).replace(/\s+$/, '');
    out = `${before}, rule: ${rule} ${text.slice(close)}`;
  } else {
    if (rule === 'two-way') return { ok: true, text, changed: false };
    const first = node.items[0]?.key as { range?: [number, number, number] } | undefined;
    if (first?.range === undefined)
      return { ok: false, problems: [`${file}: cannot place a rule in ${unified}`] };
    const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
    const indent = text.slice(lineStart, first.range[0]).replace(/-/, ' ');
    const end = text.indexOf('\n', node.range[1] - 1);
    const at = end === -1 ? text.length : end;
    out = `${text.slice(0, at)}\n${indent}rule: ${rule}${text.slice(at)}`;
  }
  const after = parseConfig(out, file);
  if (!after.ok) return { ok: false, problems: after.issues.map(formatIssue) };
  return { ok: true, text: out, changed: out !== text };
}

/** The rule a field has now. */
export const ruleOf = (config: BridgeConfig, entity: EntityName, unified: string): string | undefined =>
  config.objects[entity]?.fields.find((f) => f.unified === unified)?.rule;
