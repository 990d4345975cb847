export type {
  Classification,
  ConversionDecision,
  ConversionProposal,
  HubSpotConversion,
  Reasons,
  RepDecision,
  SalesforceConversion,
  TraceEntry,
} from './classification.ts';
export { PROPOSAL_STATES } from './classification.ts';
export { type ClassifyOptions, classify } from './classify.ts';
export { type CompiledPolicy, compilePolicy } from './compile.ts';
export type { ConditionSpec } from './condition-schema.ts';
export { readyReason } from './conversion.ts';
export type { RawValue, RawValues } from './explain-because.ts';
export { type ExplainContext, explainText } from './explain-text.ts';
export { DEFAULT_POLICY_FILE, loadPolicy, parsePolicy } from './load.ts';
export { APPROVALS, Policy, type PolicyInput } from './schema.ts';
export {
  BANT_CRITERIA,
  FACTS,
  LEAD_TYPES,
  type LeadType,
  TEMPERATURES,
  type Temperature,
} from './vocabulary.ts';
