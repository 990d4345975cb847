import { configFileFromEnv } from '../src/env.ts';

/** The config file a command uses: the one named on the command line, else $CRM_BRIDGE_CONFIG, else ./crm-bridge.yaml. */
export function configPath(named: string | undefined): string {
  return named ?? configFileFromEnv();
}
