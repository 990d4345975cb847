import { loadProject } from '../src/config/load.ts';
import type { ConfigIssue } from '../src/config/yaml-source.ts';
import { compileMapping } from '../src/mapping/index.ts';
import type { SyncContext } from '../src/sync/context.ts';

/**
 * A sync context whose config, mapping and policy follow the config file: after the console saves a value map,
 * `reload()` reads the file again and every later round and page (the worker's too, when they share it) uses the
 * new map without a restart. The store and connectors stay the same.
 */
export class LiveProject {
  readonly file: string;
  readonly ctx: SyncContext;
  #current: Pick<SyncContext, 'config' | 'mapping' | 'policy'>;

  constructor(base: SyncContext, file: string) {
    this.file = file;
    this.#current = { config: base.config, mapping: base.mapping, policy: base.policy };
    const live = this;
    this.ctx = {
      get config() {
        return live.#current.config;
      },
      get mapping() {
        return live.#current.mapping;
      },
      get policy() {
        return live.#current.policy;
      },
      store: base.store,
      connectors: base.connectors,
      now: base.now,
      configFile: base.configFile ?? file,
    };
  }

  /** Reads the config and its policy again; on a mistake the context keeps what it had, and the issues say why. */
  async reload(): Promise<readonly ConfigIssue[]> {
    const project = await loadProject(this.file);
    if (!project.ok) return project.issues;
    const { config, policy } = project.value;
    this.#current = { config, mapping: compileMapping(config), policy };
    return [];
  }
}
