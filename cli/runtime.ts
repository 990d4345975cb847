import { createConnector } from '../connectors/index.ts';
import { loadProject } from '../src/config/load.ts';
import { resolveConnection } from '../src/config/resolve.ts';
import { formatIssue } from '../src/config/yaml-source.ts';
import type { CallGate } from '../src/connector/call-gate.ts';
import { ConnectorFailure } from '../src/connector/errors.ts';
import type { Connector } from '../src/connector/types.ts';
import { readEnv } from '../src/env.ts';
import { compileMapping } from '../src/mapping/index.ts';
import { openStore, type Store } from '../src/store/index.ts';
import type { SyncContext } from '../src/sync/context.ts';
import { configPath } from './config-path.ts';
import { setupProblem } from './errors.ts';

export { setupProblem };

import type { Output } from './output.ts';

/** What a command that talks to the CRMs needs, and how to let go of it. */
export interface Runtime {
  readonly ctx: SyncContext;
  close(): Promise<void>;
}

/** Problems the user must fix before a command can run (config mistakes, missing settings). */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** How the connectors of a runtime are built. */
export interface RuntimeOptions {
  /**
   * A call budget the connectors share with every other process calling the same accounts (a worker's lives in
   * Redis); without it each connector paces its calls alone, as the CLI does.
   */
  readonly gate?: CallGate | undefined;
}

/** Loads the config and policy, opens the state store and builds a connector per connection of the pair. */
export async function openRuntime(named: string | undefined, options: RuntimeOptions = {}): Promise<Runtime> {
  const file = configPath(named);
  const project = await loadProject(file);
  if (!project.ok) throw new SetupError(project.issues.map(formatIssue).join('\n'));
  const { config, policy } = project.value;
  const env = readEnv();
  const connectors = buildConnectors(file, config, options);
  const closeConnectors = () => Promise.all(Object.values(connectors).map((c) => c.close?.()));
  let store: Store;
  try {
    store = await openStore(env.DATABASE_URL);
  } catch (error) {
    await closeConnectors();
    throw error;
  }
  return {
    ctx: {
      config,
      mapping: compileMapping(config),
      policy,
      store,
      connectors,
      now: () => new Date(),
      configFile: file,
    },
    async close() {
      await closeConnectors();
      await store.close();
    },
  };
}

/** A connector per connection of the pair; settings a connector refuses (a missing credential) are setup problems. */
function buildConnectors(
  file: string,
  config: Runtime['ctx']['config'],
  options: RuntimeOptions,
): Record<string, Connector> {
  const connectors: Record<string, Connector> = {};
  for (const name of config.sync.pair) {
    const connection = config.connections[name];
    if (connection === undefined)
      throw new SetupError(`${file}: sync.pair names an unknown connection ${name}`);
    try {
      connectors[name] = createConnector(resolveConnection(connection), { gate: options.gate, name });
    } catch (error) {
      if (!(error instanceof ConnectorFailure)) throw error;
      throw new SetupError(
        `${file}: connection ${name}: ${error.message} (set the environment variables its env:NAME settings name)`,
        { cause: error },
      );
    }
  }
  return connectors;
}

/**
 * Runs a command's work with the runtime of a config, and closes it after; a setup problem (config mistakes,
 * missing settings) is printed and the command exits 1.
 */
export async function withRuntime(
  config: string | undefined,
  output: Output,
  work: (runtime: Runtime) => Promise<number>,
): Promise<number> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime(config);
  } catch (error) {
    const problem = setupProblem(error);
    if (problem === undefined) throw error;
    output.err(problem);
    return 1;
  }
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}
