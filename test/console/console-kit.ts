import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { assembleConsole, connectConsoleRedis } from '../../console/assemble.ts';
import { LiveProject } from '../../console/live-project.ts';
import { startConsoleServer } from '../../console/server.ts';
import { seedDemo } from '../../sandboxes/demo-data.ts';
import { loadProject } from '../../src/config/load.ts';
import { formatIssue } from '../../src/config/yaml-source.ts';
import { compileMapping } from '../../src/mapping/index.ts';
import { runSync } from '../../src/sync/run-sync.ts';
import { dropPrefix, REDIS_URL, testPrefix } from '../jobs/redis-prefix.ts';
import { sqliteDatabase } from '../support/databases.ts';
import { type SyncHarness, startHarness } from '../support/sync-harness.ts';

export const ADMIN_TOKEN = 'admin-token-for-console-tests-0123456789';
export const READONLY_TOKEN = 'readonly-token-for-console-tests-0123456789';
export const HUBSPOT_PORTAL = '4242';

/** Salesforce accounts whose Industry the test's config cannot map (its industry map lacks `energy`). */
export const ENERGY_ACCOUNTS = ['Volt Grid', 'Sunfield Power', 'Tidal Works'];

/** Both sandboxes after a demo-like round, a copy of the example config to edit, and a console over them. */
export interface ConsoleKit {
  readonly h: SyncHarness;
  readonly project: LiveProject;
  /** The config file the console edits (a copy of config/example.yaml). */
  readonly file: string;
  readonly prefix: string;
  readonly url: string;
  /** Every secret a page must never show: the CRMs' credentials and both console tokens. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/**
 * config/example.yaml and its policy copied to a temporary folder, with `valueMaps.industry.energy` removed, so that
 * Salesforce accounts in Energy become field issues an admin fixes from the mapping page.
 */
function configCopy(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'crm-bridge-console-'));
  copyFileSync('config/policy.default.yaml', join(dir, 'policy.default.yaml'));
  const doc = parseDocument(readFileSync('config/example.yaml', 'utf8'));
  doc.deleteIn(['valueMaps', 'industry', 'energy']);
  // No scheduled round during a test: only the rounds a replay asks for run.
  doc.setIn(['sync', 'schedule'], doc.createNode({ cron: '0 0 1 1 *' }, { flow: true }));
  const file = join(dir, 'crm-bridge.yaml');
  writeFileSync(file, doc.toString());
  return { dir, file };
}

export async function startConsoleKit(options: { readonly people?: number } = {}): Promise<ConsoleKit> {
  const h = await startHarness(sqliteDatabase());
  const { dir, file } = configCopy();
  const prefix = testPrefix();
  const redis = connectConsoleRedis(REDIS_URL);
  let closeConsole = async () => {};
  try {
    const loaded = await loadProject(file);
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
    const base = await h.context();
    const { config, policy } = loaded.value;
    const project = new LiveProject(
      { ...base, config, mapping: compileMapping(config), policy, now: () => new Date(), configFile: file },
      file,
    );
    seedDemo(h.sf, h.hs, options.people ?? 40);
    h.sf.seed(
      'Account',
      ENERGY_ACCOUNTS.map((name) => ({
        Name: name,
        Website: `https://${name.toLowerCase().replace(/ /g, '')}.example.com`,
        Industry: 'Energy',
      })),
    );
    await runSync(project.ctx);
    const assembled = assembleConsole({
      project,
      redis,
      prefix,
      tokens: { admin: ADMIN_TOKEN, readonly: READONLY_TOKEN },
      env: h.env,
      hubspotPortal: HUBSPOT_PORTAL,
      replayWaitMs: 5_000,
    });
    const server = await startConsoleServer(assembled.deps, { port: 0 });
    closeConsole = async () => {
      await server.close();
      await assembled.close();
    };
    const secrets = [
      ...Object.entries(h.env)
        .filter(([name]) => /TOKEN|SECRET|PASSWORD|KEY/.test(name))
        .map(([, value]) => value ?? ''),
      ADMIN_TOKEN,
      READONLY_TOKEN,
    ].filter((s) => s.length > 0);
    return {
      h,
      project,
      file,
      prefix,
      url: `http://127.0.0.1:${server.port}`,
      secrets,
      async close() {
        try {
          await closeConsole();
          redis.disconnect();
          await h.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
          await dropPrefix(prefix);
        }
      },
    };
  } catch (error) {
    await closeConsole();
    redis.disconnect();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
    await dropPrefix(prefix);
    throw error;
  }
}

/** Signs in over plain HTTP and returns the session cookie and the page's CSRF token. */
export async function signIn(url: string, token: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    body: new URLSearchParams({ token, next: '/' }),
    redirect: 'manual',
  });
  if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const page = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return { cookie, csrf };
}
