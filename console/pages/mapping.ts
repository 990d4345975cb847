import type { BridgeConfig, FieldMapping } from '../../src/config/schema.ts';
import { ENTITIES, type EntityName } from '../../src/model/index.ts';
import type { QuarantineEntry } from '../../src/store/index.ts';
import { objectsOf } from '../../src/sync/field-table.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural } from '../html.ts';
import { describeObjects, type SchemaLabels } from '../schema-labels.ts';

/** Open field issues by entity, field and value: the values the data holds that the mapping cannot translate. */
export function unknownValues(entries: readonly QuarantineEntry[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const e of entries) {
    if (e.kind !== 'field' || e.value === undefined || e.value === null) continue;
    const key = `${e.entity}/${e.field}`;
    const values = out.get(key) ?? new Map<string, number>();
    const value = typeof e.value === 'string' ? e.value : JSON.stringify(e.value);
    values.set(value, (values.get(value) ?? 0) + 1);
    out.set(key, values);
  }
  return out;
}

/** Every connection and object the config maps, for describe. */
export function mappedObjects(config: BridgeConfig): { connection: string; object: string }[] {
  return ENTITIES.flatMap((entity) =>
    config.sync.pair.flatMap((connection) =>
      objectsOf(config, entity, connection).map((object) => ({ connection, object })),
    ),
  );
}

const transformText = (t: FieldMapping['transform'][number]) =>
  typeof t === 'string'
    ? t
    : Object.entries(t)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join(', ');

/** A mapped field's external name(s) on one connection, each with the CRM's label. */
function externalCell(
  field: FieldMapping,
  connection: string,
  objects: readonly string[],
  labels: SchemaLabels,
): Html {
  const spec = field[connection];
  if (spec === undefined || typeof spec !== 'object' || Array.isArray(spec)) {
    if (spec === undefined || (typeof spec !== 'string' && !Array.isArray(spec)))
      return html`<span class="hint">—</span>`;
    const names = Array.isArray(spec) ? spec : [spec];
    return html`${names.map((name, i) => {
      const label = objects.map((o) => labels.field(connection, o, name)?.label).find((l) => l !== undefined);
      return html`${i > 0 ? ' + ' : ''}<code>${name}</code>${label ? html` <span class="hint">${label}</span>` : ''}`;
    })}`;
  }
  return html`${Object.entries(spec as Record<string, string | string[]>).map(([object, names], i) => {
    const list = Array.isArray(names) ? names : [names];
    return html`${i > 0 ? html`<br>` : ''}${object}: ${list.map((name) => {
      const label = labels.field(connection, object, name)?.label;
      return html`<code>${name}</code>${label ? html` <span class="hint">${label}</span>` : ''} `;
    })}`;
  })}`;
}

/** The mapping as tables, one per entity, with the CRMs' labels and the unknown values the data holds. */
export async function mappingBody(deps: ConsoleDeps): Promise<Html> {
  const { ctx } = deps.project;
  const config = ctx.config;
  const labels = await describeObjects(ctx, mappedObjects(config), deps.scrub);
  const unknown = unknownValues(await ctx.store.listQuarantine({ limit: 100_000 }));
  const pair = config.sync.pair;
  const system = (c: string) => config.connections[c]?.system ?? c;
  return html`${
    labels.problems.length > 0
      ? html`<p class="error" role="alert">Labels missing: could not describe ${labels.problems.join('; ')}</p>`
      : ''
  }
<section aria-labelledby="maps-title"><h2 id="maps-title">Value maps</h2>
<ul class="maps">${Object.entries(config.valueMaps).map(([name, map]) => {
    const users = ENTITIES.flatMap((e) =>
      (config.objects[e]?.fields ?? []).filter((f) => f.values === name).map((f) => `${e}.${f.unified}`),
    );
    const seen = users.reduce(
      (n, u) => n + [...(unknown.get(u.replace('.', '/')) ?? new Map()).values()].reduce((a, b) => a + b, 0),
      0,
    );
    const entries = Object.keys(map).filter((k) => k !== 'fallback' && k !== 'passthrough').length;
    return html`<li><a href="/mapping/values/${encodeURIComponent(name)}">${name}</a> <span class="hint">${plural(entries, 'value')}, used by ${users.join(', ') || 'no field'}</span>${seen > 0 ? html` <mark class="unknown">${plural(seen, 'record')} with unknown values</mark>` : ''}</li>`;
  })}</ul></section>
${ENTITIES.filter((e) => config.objects[e] !== undefined).map((entity) => {
  const mapping = config.objects[entity];
  if (mapping === undefined) return '';
  const objects = (c: string) => objectsOf(config, entity, c);
  return html`<section aria-labelledby="entity-${entity}">
<h2 id="entity-${entity}">${entity}: ${pair.map((c, i) => html`${i > 0 ? ' ↔ ' : ''}${system(c)} ${objects(c).join(', ')}`)}</h2>
<div class="scroll"><table class="mapping">
<thead><tr><th scope="col">Unified field</th>${pair.map((c) => html`<th scope="col">${system(c)} (${c})</th>`)}<th scope="col">Rule</th><th scope="col">Transforms</th><th scope="col">Value map</th><th scope="col">Unknown values seen</th></tr></thead>
<tbody>${mapping.fields.map((f) => {
    const seen = [...(unknown.get(`${entity}/${f.unified}`) ?? new Map<string, number>()).entries()];
    return html`<tr data-field="${entity}.${f.unified}"><th scope="row"><code>${f.unified}</code></th>
${pair.map((c) => html`<td>${externalCell(f, c, objects(c), labels)}</td>`)}
<td><a href="/mapping/rule/${entity}/${encodeURIComponent(f.unified)}" aria-label="Rule of ${entity}.${f.unified}: ${f.rule}">${f.rule}</a>${f.onInvalid !== 'skip' ? html`<br><span class="hint">onInvalid: ${typeof f.onInvalid === 'string' ? f.onInvalid : JSON.stringify(f.onInvalid)}</span>` : ''}</td>
<td>${f.transform.map(transformText).join(' → ') || '—'}</td>
<td>${f.values === undefined ? '—' : html`<a href="/mapping/values/${encodeURIComponent(f.values)}">${f.values}</a>`}</td>
<td>${seen.length === 0 ? '—' : seen.map(([value, n]) => html`<mark class="unknown">${value}</mark> ${plural(n, 'record')}<br>`)}</td></tr>`;
  })}</tbody></table></div></section>`;
})}`;
}

/** The fields of every entity that a value map translates. */
export function fieldsUsing(
  config: BridgeConfig,
  name: string,
): { entity: EntityName; field: FieldMapping }[] {
  return ENTITIES.flatMap((entity) =>
    (config.objects[entity]?.fields ?? [])
      .filter((f) => f.values === name)
      .map((field) => ({ entity, field })),
  );
}
