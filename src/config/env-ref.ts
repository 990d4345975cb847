/** A reference to an environment variable, written `env:NAME` in the config. Secrets may only be given so. */
export const ENV_REF = /^env:([A-Z_][A-Z0-9_]*)$/;

/** The variable name of an `env:NAME` reference, or undefined when the value is not one. */
export function envRefName(value: string): string | undefined {
  return ENV_REF.exec(value)?.[1];
}
