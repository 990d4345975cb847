/** The config file a command uses: the one named on the command line, else $CRM_BRIDGE_CONFIG, else ./crm-bridge.yaml. */
export function configPath(named: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return named ?? env.CRM_BRIDGE_CONFIG ?? './crm-bridge.yaml';
}
