import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as prompts from '@clack/prompts';
import { type Document, isMap, isScalar, type Pair, parseDocument, type YAMLMap } from 'yaml';
import { createConnector } from '../connectors/index.ts';
import { envRefName } from '../src/config/env-ref.ts';
import { parseConfig } from '../src/config/load.ts';
import { resolveConnection } from '../src/config/resolve.ts';
import type { BridgeConfig } from '../src/config/schema.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import type { Connector, ObjectSchema } from '../src/connector/types.ts';
import type { EntityName } from '../src/model/index.ts';
import { packageFile } from '../src/package-file.ts';
import { planSetup } from '../src/setup/plan.ts';
import { type PairedMap, pairValueMap, type SideValues } from './init-values.ts';
import type { Output } from './output.ts';
import { SetupError } from './runtime.ts';

export interface InitOptions {
  /** The config file to write (default `crm-bridge.yaml`). */
  readonly config?: string;
  /** Ask nothing: settings come from flags and the environment. */
  readonly yes?: boolean;
  /** Replace files that exist. */
  readonly force?: boolean;
  /** The Salesforce instance URL (else `SALESFORCE_INSTANCE_URL`). */
  readonly salesforceUrl?: string;
  /** The HubSpot API base URL (else `HUBSPOT_BASE_URL`, default `https://api.hubapi.com`). */
  readonly hubspotUrl?: string;
}

/** The credentials asked for on a terminal when the environment has none: kept in memory, never written. */
const CREDENTIALS: Record<string, { readonly ask: string; readonly anyOf: readonly string[] }> = {
  salesforce: {
    ask: 'SALESFORCE_ACCESS_TOKEN',
    anyOf: [
      'SALESFORCE_ACCESS_TOKEN',
      'SALESFORCE_REFRESH_TOKEN',
      'SALESFORCE_PASSWORD',
      'SALESFORCE_PRIVATE_KEY_FILE',
    ],
  },
  hubspot: { ask: 'HUBSPOT_ACCESS_TOKEN', anyOf: ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_REFRESH_TOKEN'] },
};

/**
 * Writes a starting `crm-bridge.yaml` and `.env.example` from both CRMs' metadata: the standard mapping of
 * `config/example.yaml`, its value maps checked against the picklist values each CRM holds (and completed with the
 * values both name alike; the others listed as comments to decide), and the policy file beside it. Credentials are
 * read from the environment (or asked for on a terminal) to describe the CRMs, and written only as `env:NAME`.
 */
export async function initCommand(options: InitOptions, output: Output): Promise<number> {
  const configFile = resolve(options.config ?? 'crm-bridge.yaml');
  const envFile = join(dirname(configFile), '.env.example');
  const policyFile = join(dirname(configFile), 'policy.default.yaml');
  const taken = [configFile, envFile].filter((f) => existsSync(f));
  if (taken.length > 0 && options.force !== true) {
    output.err(
      `${taken.join(' and ')} already ${taken.length === 1 ? 'exists' : 'exist'}: pass --force to replace`,
    );
    return 1;
  }
  const exampleText = readFileSync(packageFile('config/example.yaml'), 'utf8');
  const example = parsed(exampleText, 'config/example.yaml');
  const interactive = options.yes !== true && process.stdin.isTTY === true;
  const env = await settings(example, options, interactive);
  if (env === undefined) return 130;

  const connectors: Record<string, Connector> = {};
  const spinner = interactive ? prompts.spinner() : undefined;
  try {
    spinner?.start('reading both CRMs’ objects, fields and picklists');
    for (const name of example.sync.pair) {
      const connection = example.connections[name];
      if (connection === undefined) throw new SetupError(`config/example.yaml has no connection ${name}`);
      connectors[name] = createConnector(resolveConnection(connection, env));
    }
    const maps = await pairValueMaps(example, connectors);
    const text = configText(exampleText, example, maps);
    const config = parsed(text, configFile);
    const plan = await planSetup(config, connectors);
    spinner?.stop('read both CRMs');

    writeFileSync(configFile, text);
    writeFileSync(envFile, envExample(example));
    const policyCopied = !existsSync(policyFile);
    if (policyCopied) copyFileSync(packageFile('config/policy.default.yaml'), policyFile);

    const lines = [`wrote ${configFile}`, `wrote ${envFile} (the variables the config names, empty)`];
    if (policyCopied) lines.push(`wrote ${policyFile} (the default lead-vs-contact policy)`);
    const added = [...maps].flatMap(([name, m]) => m.added.map((e) => `${name}.${e}`));
    const undecided = [...maps].reduce((n, [, m]) => n + m.undecided.length, 0);
    lines.push(
      `value maps: ${maps.size} checked against both CRMs, ${added.length} entries added for values both name alike${added.length ? ` (${added.join(', ')})` : ''}, ${undecided} values left to decide (marked "to decide" in the config)`,
    );
    for (const c of plan.connections)
      lines.push(
        `${c.connection}: crm-bridge setup --apply will create ${c.create.length} custom fields${c.create.length ? `: ${c.create.map((f) => `${f.spec.object}.${f.spec.name}`).join(', ')}` : ''}`,
      );
    lines.push(
      'next: export the variables of .env.example, then crm-bridge validate, crm-bridge setup --apply, crm-bridge check, crm-bridge sync --once --dry-run',
    );
    if (interactive) {
      prompts.note(lines.join('\n'), 'crm-bridge init');
      prompts.outro('done');
    } else output.out(lines.join('\n'));
    return 0;
  } finally {
    spinner?.stop();
    await Promise.all(Object.values(connectors).map((c) => c.close?.()));
  }
}

function parsed(text: string, file: string): BridgeConfig {
  const result = parseConfig(text, file);
  if (!result.ok)
    throw new Error(`the config init writes is invalid:\n${result.issues.map(formatIssue).join('\n')}`);
  return result.value;
}

/**
 * The environment the CRMs are read with: this process's, the URL flags over it, and, on a terminal, what the user
 * types for what is missing. Undefined when the user cancels.
 */
async function settings(
  example: BridgeConfig,
  options: InitOptions,
  interactive: boolean,
): Promise<NodeJS.ProcessEnv | undefined> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.salesforceUrl !== undefined) env.SALESFORCE_INSTANCE_URL = options.salesforceUrl;
  if (options.hubspotUrl !== undefined) env.HUBSPOT_BASE_URL = options.hubspotUrl;
  if (!interactive) return env;
  prompts.intro('crm-bridge init: a starting config from your Salesforce org and HubSpot portal');
  const systems = new Set(Object.values(example.connections).map((c) => String(c.system)));
  if (systems.has('salesforce') && !env.SALESFORCE_INSTANCE_URL) {
    const url = await prompts.text({
      message: 'Salesforce instance URL',
      placeholder: 'https://yourcompany.my.salesforce.com',
      validate: (v) => (/^https?:\/\/\S+$/.test(v ?? '') ? undefined : 'an http(s) URL'),
    });
    if (prompts.isCancel(url)) return cancelled();
    env.SALESFORCE_INSTANCE_URL = url;
  }
  for (const system of systems) {
    const credential = CREDENTIALS[system];
    if (credential === undefined || credential.anyOf.some((name) => env[name])) continue;
    const secret = await prompts.password({
      message: `${credential.ask} (used now to read the metadata; never written to a file)`,
      validate: (v) => ((v ?? '').length > 0 ? undefined : 'required'),
    });
    if (prompts.isCancel(secret)) return cancelled();
    env[credential.ask] = secret;
  }
  return env;
}

function cancelled(): undefined {
  prompts.cancel('nothing written');
  return undefined;
}

/** Each connection's picklist fields that a value map translates, described once per object. */
async function pairValueMaps(
  config: BridgeConfig,
  connectors: Readonly<Record<string, Connector>>,
): Promise<Map<string, PairedMap>> {
  const described = new Map<string, Promise<ObjectSchema>>();
  const describe = (connection: string, object: string) => {
    const at = `${connection}/${object}`;
    let found = described.get(at);
    if (found === undefined) {
      const connector = connectors[connection];
      if (connector === undefined) throw new Error(`no connector for ${connection}`);
      found = connector.describe(object);
      described.set(at, found);
    }
    return found;
  };
  const out = new Map<string, PairedMap>();
  for (const [name, example] of Object.entries(config.valueMaps)) {
    const sides: Record<string, SideValues> = {};
    for (const connection of config.sync.pair) {
      const values = new Map<string, string[]>();
      const labels = new Map<string, string>();
      let known = false;
      for (const { object, field } of mappedFields(config, name, connection)) {
        const found = (await describe(connection, object)).fields.find(
          (f) => f.name.toLowerCase() === field.toLowerCase(),
        );
        if (found?.picklist === undefined) continue;
        known = true;
        for (const option of found.picklist) {
          if (!option.active) continue;
          values.set(option.value, [...(values.get(option.value) ?? []), `${object}.${found.name}`]);
          if (option.label !== undefined && option.label !== option.value)
            labels.set(option.value, option.label);
        }
      }
      sides[connection] = { known, values, labels };
    }
    out.set(name, pairValueMap(example as Record<string, unknown>, sides));
  }
  return out;
}

/** The external fields (per object) that a value map translates for one connection. */
function mappedFields(
  config: BridgeConfig,
  map: string,
  connection: string,
): { object: string; field: string }[] {
  const out: { object: string; field: string }[] = [];
  for (const [entity, mapping] of Object.entries(config.objects)) {
    if (mapping === undefined) continue;
    const named = (mapping as Record<string, unknown>)[connection];
    const objects = typeof named === 'string' ? [named] : Array.isArray(named) ? named.map(String) : [];
    for (const f of mapping.fields) {
      if (f.values !== map) continue;
      const target = f[connection];
      for (const object of objects) {
        const field =
          typeof target === 'string'
            ? target
            : target !== null && typeof target === 'object' && !Array.isArray(target)
              ? (target as Record<string, unknown>)[object]
              : undefined;
        if (typeof field === 'string') out.push({ object, field });
      }
    }
    void (entity as EntityName);
  }
  return out;
}

const LABELS: Record<string, string> = {
  salesforce: 'Salesforce',
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
};

/** The example config with its value maps replaced by the paired ones, and a header saying where it came from. */
function configText(
  exampleText: string,
  example: BridgeConfig,
  maps: ReadonlyMap<string, PairedMap>,
): string {
  const doc = parseDocument(exampleText);
  doc.commentBefore = [
    ' crm-bridge: written by `crm-bridge init` from the metadata of both CRMs, starting from the standard mapping.',
    ' The value maps hold the picklist values each CRM has; values marked "to decide" have no counterpart yet: add',
    ' each to an entry (a list gives aliases), or leave it (such a value is a field issue; the rest of the record syncs).',
    ' Secrets are never written here: every credential names an environment variable (env:NAME), see .env.example.',
    ' Next: crm-bridge validate, crm-bridge setup --apply, crm-bridge check, crm-bridge sync --once --dry-run.',
  ].join('\n');
  for (const [name, paired] of maps) {
    const comments = [
      ...paired.undecided.map(
        (u) =>
          ` to decide: ${label(example, u.connection)} ${u.fields.join(', ')} ${JSON.stringify(u.value)}${u.label === undefined ? '' : ` (labelled ${JSON.stringify(u.label)})`} has no ${otherLabel(example, u.connection)} counterpart`,
      ),
      ...paired.missing.map(
        (m) =>
          ` left out: ${label(example, m.connection)} has no value "${m.value}" (the standard mapping names it)`,
      ),
    ];
    setMap(doc, name, paired.entries, comments);
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * Replaces one value map's entries in place, so that the comments the standard mapping gives its entries stay with
 * them; entries it drops go, entries it adds come last, and `comments` go above the map.
 */
function setMap(
  doc: Document,
  name: string,
  entries: Readonly<Record<string, unknown>>,
  comments: readonly string[],
) {
  const map = doc.getIn(['valueMaps', name]);
  if (!isMap(map)) throw new Error(`config/example.yaml has no value map ${name}`);
  const keyOf = (pair: Pair) => String(isScalar(pair.key) ? pair.key.value : pair.key);
  map.items = map.items.filter((pair) => keyOf(pair) in entries);
  for (const [entry, value] of Object.entries(entries)) {
    const node = doc.createNode(value);
    if (isMap(node)) node.flow = true;
    const pair = map.items.find((p) => keyOf(p) === entry);
    if (pair === undefined) map.items.push(doc.createPair(entry, node) as Pair);
    else pair.value = node;
  }
  if (comments.length === 0) return;
  const key = (doc.getIn(['valueMaps']) as YAMLMap).items.find((p) => keyOf(p) === name)?.key;
  if (isScalar(key)) key.commentBefore = [key.commentBefore, ...comments].filter(Boolean).join('\n');
}

function label(config: BridgeConfig, connection: string): string {
  const system = String(config.connections[connection]?.system);
  return LABELS[system] ?? connection;
}

function otherLabel(config: BridgeConfig, connection: string): string {
  const other = config.sync.pair.find((c) => c !== connection);
  return other === undefined ? 'other' : label(config, other);
}

/** Every environment variable the connections name, with an empty value, by connection; then the state store. */
function envExample(config: BridgeConfig): string {
  const lines = [
    '# The environment crm-bridge reads (written by crm-bridge init). Fill in the values; never commit the filled file.',
  ];
  for (const [name, connection] of Object.entries(config.connections)) {
    lines.push('', `# ${name}: ${label(config, name)} (set one way of signing in; the others stay empty)`);
    for (const value of Object.values(connection)) {
      const ref = typeof value === 'string' ? envRefName(value) : undefined;
      if (ref !== undefined) lines.push(`${ref}=`);
    }
  }
  lines.push(
    '',
    '# The state store: postgres://… or sqlite:<path> (default sqlite:./data/crm-bridge.db)',
    'DATABASE_URL=',
  );
  return `${lines.join('\n')}\n`;
}
