import type { BridgeConfig } from './schema.ts';
import { closest } from './suggest.ts';
import type { PathSegment } from './yaml-source.ts';
import { type ConfigIssue, YamlSource } from './yaml-source.ts';

const ACCOUNT = 'account.';
const CUSTOM = /^custom\.[A-Za-z][A-Za-z0-9_]*$/;

/**
 * The policy's conditions that read a custom field the config does not map: such a field is never filled, so the
 * condition would silently never hold (`custom.budgt` for `custom.budget`). Each issue points at the policy's line
 * and names the custom fields the config does map.
 */
export function unmappedPolicyFields(
  config: BridgeConfig,
  policyText: string,
  policyFile: string,
): ConfigIssue[] {
  const source = new YamlSource(policyText, policyFile);
  const mapped = {
    person: new Set(
      (config.objects.person?.fields ?? []).map((f) => f.unified).filter((u) => CUSTOM.test(u)),
    ),
    account: new Set(
      (config.objects.account?.fields ?? []).map((f) => f.unified).filter((u) => CUSTOM.test(u)),
    ),
  };
  const issues: ConfigIssue[] = [];
  const check = (path: string, at: readonly PathSegment[]) => {
    const onAccount = path.startsWith(ACCOUNT);
    const field = onAccount ? path.slice(ACCOUNT.length) : path;
    if (!CUSTOM.test(field)) return;
    const entity = onAccount ? 'account' : 'person';
    const known = mapped[entity];
    if (known.has(field)) return;
    const guess = closest(field, known);
    const names = [...known].map((k) => (onAccount ? `${ACCOUNT}${k}` : k));
    issues.push(
      source.issueAt(
        at,
        `${path} is not mapped by the config (objects.${entity}.fields has no unified: ${field}), so it is never filled${
          guess === undefined
            ? names.length === 0
              ? ''
              : `; the config maps ${names.join(', ')}`
            : ` (did you mean "${onAccount ? ACCOUNT : ''}${guess}"?)`
        }`,
      ),
    );
  };
  const walk = (node: unknown, at: PathSegment[]) => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, [...at, i]);
    } else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) {
        if (key === 'field' && typeof value === 'string') check(value, [...at, key]);
        else if (key === 'field' && Array.isArray(value))
          for (const [i, v] of value.entries()) {
            if (typeof v === 'string') check(v, [...at, key, i]);
          }
        else walk(value, [...at, key]);
      }
  };
  walk(source.data(), []);
  return issues;
}
