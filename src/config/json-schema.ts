import * as z from 'zod';
import { BridgeConfig } from './schema.ts';

/** The JSON Schema of the config file as users write it (defaults make keys optional), for editors. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(BridgeConfig, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
