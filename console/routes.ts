import type { ConsoleDeps } from './deps.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import { dryRunForm, dryRunPlan } from './pages/dry-run.ts';
import { explainBody } from './pages/explain.ts';
import { healthBody, readHealth } from './pages/health.ts';
import { mappingBody } from './pages/mapping.ts';
import { quarantineBody, replayEntries } from './pages/quarantine.ts';
import { isEntity, ruleForm, rulePreview, saveRule } from './pages/rule.ts';
import { saveValueMap, valueMapForm, valueMapPreview } from './pages/value-map.ts';
import type { Route } from './router.ts';

/** Every page and action of the console. */
export function consoleRoutes(deps: ConsoleDeps): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/$/,
      changes: false,
      async handle({ session }) {
        const body = healthBody(await readHealth(deps), deps.scrub);
        return {
          html: page(
            'Sync health',
            session,
            '/',
            html`<noscript><p class="hint">Reload the page to see it change while a round runs.</p></noscript>${body}`,
          ),
        };
      },
    },
    {
      method: 'GET',
      path: /^\/health\/live$/,
      changes: false,
      async handle() {
        return { html: healthBody(await readHealth(deps), deps.scrub) };
      },
    },
    {
      method: 'GET',
      path: /^\/api\/health$/,
      changes: false,
      async handle() {
        const health = await readHealth(deps);
        const reasons = health.status.deadLetters.map((d) => ({ ...d, reason: deps.scrub(d.reason) }));
        return { json: { ...health, status: { ...health.status, deadLetters: reasons } } };
      },
    },
    {
      method: 'GET',
      path: /^\/quarantine$/,
      changes: false,
      async handle({ session }) {
        return {
          html: page(
            'Held records and field issues',
            session,
            '/quarantine',
            await quarantineBody(deps, session),
          ),
        };
      },
    },
    {
      method: 'POST',
      path: /^\/replay$/,
      changes: true,
      async handle({ session, form }) {
        session.flash = await replayEntries(deps, form);
        return { redirect: '/quarantine' };
      },
    },
    {
      method: 'GET',
      path: /^\/mapping$/,
      changes: false,
      async handle({ session }) {
        return { html: page('Mapping', session, '/mapping', await mappingBody(deps)) };
      },
    },
    {
      method: 'GET',
      path: /^\/mapping\/values\/([\w.-]+)$/,
      changes: false,
      async handle({ session }, [name = '']) {
        const body = await valueMapForm(deps, session, name);
        return body === undefined
          ? { html: page('Not found', session, '/mapping', html`<p>No value map ${name}.</p>`), status: 404 }
          : { html: page(`Value map ${name}`, session, '/mapping', body) };
      },
    },
    {
      method: 'POST',
      path: /^\/mapping\/values\/([\w.-]+)\/preview$/,
      changes: true,
      async handle({ session, form }, [name = '']) {
        const body = await valueMapPreview(deps, session, name, form);
        return body === undefined
          ? { html: page('Not found', session, '/mapping', html`<p>No value map ${name}.</p>`), status: 404 }
          : { html: page(`Value map ${name}: preview`, session, '/mapping', body) };
      },
    },
    {
      method: 'POST',
      path: /^\/mapping\/values\/([\w.-]+)$/,
      changes: true,
      async handle({ session, form }, [name = '']) {
        const saved = await saveValueMap(deps, name, form);
        session.flash = saved.message;
        return { redirect: `/mapping/values/${encodeURIComponent(name)}` };
      },
    },
    {
      method: 'GET',
      path: /^\/mapping\/rule\/(\w+)\/([\w.-]+)$/,
      changes: false,
      async handle({ session }, [entity = '', field = '']) {
        const body = isEntity(entity) ? await ruleForm(deps, session, entity, field) : undefined;
        return body === undefined
          ? {
              html: page('Not found', session, '/mapping', html`<p>No field ${entity}.${field}.</p>`),
              status: 404,
            }
          : { html: page(`Rule of ${entity}.${field}`, session, '/mapping', body) };
      },
    },
    {
      method: 'POST',
      path: /^\/mapping\/rule\/(\w+)\/([\w.-]+)\/preview$/,
      changes: true,
      async handle({ session, form }, [entity = '', field = '']) {
        const body = isEntity(entity) ? await rulePreview(deps, session, entity, field, form) : undefined;
        return body === undefined
          ? {
              html: page('Not found', session, '/mapping', html`<p>No field ${entity}.${field}.</p>`),
              status: 404,
            }
          : { html: page(`Rule of ${entity}.${field}: preview`, session, '/mapping', body) };
      },
    },
    {
      method: 'POST',
      path: /^\/mapping\/rule\/(\w+)\/([\w.-]+)$/,
      changes: true,
      async handle({ session, form }, [entity = '', field = '']) {
        if (!isEntity(entity)) return { redirect: '/mapping' };
        session.flash = (await saveRule(deps, entity, field, form)).message;
        return { redirect: `/mapping/rule/${entity}/${encodeURIComponent(field)}` };
      },
    },
    {
      method: 'GET',
      path: /^\/explain$/,
      changes: false,
      async handle({ session, query }) {
        const q = query.get('q') ?? '';
        return { html: page('Explain a person', session, '/explain', await explainBody(deps, q)) };
      },
    },
    {
      method: 'GET',
      path: /^\/dry-run$/,
      changes: false,
      async handle({ session }) {
        return { html: page('Dry-run preview', session, '/dry-run', dryRunForm()) };
      },
    },
    {
      // Writes nothing anywhere, so a read-only session may run it too.
      method: 'POST',
      path: /^\/dry-run$/,
      changes: false,
      // A round can take minutes to plan.
      timeoutMs: 10 * 60_000,
      async handle({ session, htmx }) {
        const plan = await dryRunPlan(deps);
        return htmx
          ? { html: plan }
          : { html: page('Dry-run preview', session, '/dry-run', dryRunForm(plan)) };
      },
    },
  ];
}
