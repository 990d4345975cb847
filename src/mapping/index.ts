/**
 * The mapper compiler: a config becomes plain functions from each external object's records to the unified
 * model and back. Every bad value is a per-record failure naming the field and value, never an exception.
 */
export { type CompiledMapping, compileMapping } from './compile.ts';
export type {
  ExternalFields,
  ExternalRecord,
  FieldFailure,
  InboundMapper,
  MapResult,
  OutboundMapper,
  UnifiedInputs,
  UnifiedRecords,
} from './types.ts';
export { getPath, parsePath, setPath, type UnifiedPath } from './unified-path.ts';
