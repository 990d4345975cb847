import { configJsonSchema } from '../src/config/json-schema.ts';
import type { Output } from './output.ts';

export function schemaCommand(output: Output): number {
  output.out(JSON.stringify(configJsonSchema(), null, 2));
  return 0;
}
