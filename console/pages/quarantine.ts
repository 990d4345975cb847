import { replayQuarantined } from '../../jobs/replay.ts';
import type { BridgeConfig } from '../../src/config/schema.ts';
import type { EntityName } from '../../src/model/index.ts';
import { type ExternalKey, type IdentityLink, keyOf } from '../../src/store/index.ts';
import { type CauseGroup, causeGroups } from '../../src/store/quarantine-groups.ts';
import type { Session } from '../auth.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type Html, html, plural, shown, when } from '../html.ts';
import { adminButton, csrfField } from '../layout.ts';

const KINDS = [
  ['held', 'Held records', 'Not synced at all until the cause is fixed and they are replayed.'],
  [
    'refused',
    'Refused writes',
    'The target refused the write; tried again when the record next changes, or now by a replay.',
  ],
  [
    'field',
    'Field issues',
    'These records synced without the field named: usually a value map lacks the value.',
  ],
] as const;

/** The value map a unified field of an entity is translated with, if any. */
export function valueMapOf(config: BridgeConfig, entity: EntityName, field: string): string | undefined {
  return config.objects[entity]?.fields.find((f) => f.unified === field)?.values;
}

/** Records listed per group: replaying the group replays all of them. */
const LISTED = 200;

/** The twins (the same record in the other CRM) of quarantined records, keyed `connection/object/externalId`. */
async function twinsOf(
  deps: ConsoleDeps,
  keys: readonly ExternalKey[],
): Promise<Map<string, IdentityLink[]>> {
  const { store } = deps.project.ctx;
  const links = await store.findLinks(keys);
  const all = await store.linksOf([...new Set([...links.values()].map((l) => l.unifiedId))]);
  const out = new Map<string, IdentityLink[]>();
  for (const [key, link] of links)
    out.set(
      key,
      all.filter((t) => t.unifiedId === link.unifiedId && keyOf(t) !== key),
    );
  return out;
}

/** A record as a link into its CRM (or its id, when the console cannot tell the address). */
export function recordLink(deps: ConsoleDeps, key: ExternalKey): Html {
  const url = deps.links(key.connection, key.object, key.externalId);
  const label = `${key.connection} ${key.object} ${key.externalId}`;
  return url === undefined
    ? html`<code>${label}</code>`
    : html`<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`;
}

/** A group's headline: `industry = "Energy": 14 records`. */
const headline = (g: CauseGroup) =>
  `${g.field === '*' ? 'whole record' : g.field}${g.value === undefined ? '' : ` = ${JSON.stringify(g.value)}`}: ${plural(g.entries.length, 'record')}`;

/** The open quarantine, grouped by cause, each group openable to its records with links into the CRMs. */
export async function quarantineBody(deps: ConsoleDeps, session: Session): Promise<Html> {
  const { store, config } = deps.project.ctx;
  const groups = causeGroups(await store.listQuarantine({ limit: 100_000 }));
  if (groups.length === 0) return html`<p class="empty" role="status">Nothing is quarantined.</p>`;
  const twins = await twinsOf(
    deps,
    groups.flatMap((g) => g.entries.slice(0, LISTED)),
  );
  return html`${KINDS.map(([kind, title, meaning]) => {
    const mine = groups.filter((g) => g.kind === kind);
    if (mine.length === 0) return '';
    const total = mine.reduce((n, g) => n + g.entries.length, 0);
    return html`<section aria-labelledby="kind-${kind}">
<h2 id="kind-${kind}">${title}: ${plural(total, 'entry', 'entries')} in ${plural(mine.length, 'group')}</h2>
<p class="hint">${meaning}</p>
${mine.map((g) => groupBlock(deps, session, config, g, twins))}
</section>`;
  })}`;
}

function groupBlock(
  deps: ConsoleDeps,
  session: Session,
  config: BridgeConfig,
  g: CauseGroup,
  twins: ReadonlyMap<string, readonly IdentityLink[]>,
): Html {
  const map = g.kind === 'field' ? valueMapOf(config, g.entity as EntityName, g.field) : undefined;
  const ids = g.entries.map((e) => e.id).join(',');
  return html`<details class="group" data-group="${g.key}">
<summary><span class="count">${headline(g)}</span> <span class="where">${g.entity} · ${g.connection} ${g.object}</span></summary>
<p class="reason">${deps.scrub(g.reason)}</p>
<div class="actions">
<form method="post" action="/replay">${csrfField(session)}<input type="hidden" name="ids" value="${ids}">${adminButton(session, `Replay these ${plural(g.entries.length, 'record')}`)}</form>
${map === undefined ? '' : html`<a class="button" href="/mapping/values/${encodeURIComponent(map)}">Fix the value map ${map}</a>`}
</div>
<div class="scroll"><table>
<caption class="visually-hidden">Records of this group</caption>
<thead><tr><th scope="col">#</th><th scope="col">Record</th><th scope="col">Its twin</th><th scope="col">Value</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Seen</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${g.entries.slice(0, LISTED).map(
    (
      e,
    ) => html`<tr><td>${e.id}</td><td>${recordLink(deps, e)}</td><td>${twinCell(deps, twins.get(keyOf(e)))}</td><td>${shown(e.value)}</td><td>${when(e.firstSeen)}</td><td>${when(e.lastSeen)}</td><td>${e.attempts}×</td>
<td><form method="post" action="/replay">${csrfField(session)}<input type="hidden" name="ids" value="${e.id}">${adminButton(session, 'Replay', html`aria-label="Replay record ${e.id}"`)}</form></td></tr>`,
  )}</tbody></table></div>
${g.entries.length > LISTED ? html`<p class="hint">The first ${LISTED} of ${g.entries.length} records are listed; replaying the group replays all of them.</p>` : ''}
</details>`;
}

/** Replays the entries a form names (after the admin fixed their cause); the message says what happens next. */
export async function replayEntries(deps: ConsoleDeps, form: URLSearchParams): Promise<string> {
  const ids = (form.get('ids') ?? '')
    .split(',')
    .map((id) => Number(id.trim()))
    .filter((id) => Number.isInteger(id) && id > 0);
  if (ids.length === 0) return 'Nothing to replay: no entry was named.';
  const { store, config } = deps.project.ctx;
  try {
    const done = await replayQuarantined(
      { store, config, locks: deps.locks, queue: deps.queue },
      { ids },
      { waitForRoundMs: deps.replayWaitMs ?? 10_000 },
    );
    const parts = [`Replayed ${plural(done.replayed.length, 'record')}.`];
    if (done.missing.length > 0)
      parts.push(`Not open any more, left alone: ${done.missing.map((id) => `#${id}`).join(', ')}.`);
    if (done.queued !== undefined)
      parts.push(
        `A sync round is queued (job ${done.queued}): the records land there, or come back here if their cause is still there.`,
      );
    return parts.join(' ');
  } catch (error) {
    return `Replay refused: ${deps.scrub((error as Error).message)}`;
  }
}

function twinCell(deps: ConsoleDeps, twins: readonly IdentityLink[] | undefined): Html {
  return twins === undefined || twins.length === 0
    ? html`<span class="hint">none linked</span>`
    : html`${twins.map((t, i) => html`${i > 0 ? html`<br>` : ''}${recordLink(deps, t)}`)}`;
}
