import { DEFAULT_DEAL_STAGES, DEFAULT_PIPELINE } from '../../connectors/hubspot/standard-options.ts';

/** A deal stage as `/crm/v3/pipelines/deals` returns it. */
export interface StageDef {
  /** What a deal's `dealstage` holds. */
  readonly id: string;
  readonly label: string;
  /** Win probability, 0..1. */
  readonly probability: number;
  /** Closed won or closed lost. */
  readonly closed: boolean;
}

/** A deal pipeline. */
export interface PipelineDef {
  /** What a deal's `pipeline` holds. */
  readonly id: string;
  readonly label: string;
  /** In board order. */
  readonly stages: readonly StageDef[];
}

/** Labels and win probabilities of the default sales pipeline's stages, as a new portal has them. */
const DEFAULT_STAGE_SETTINGS: Readonly<Record<(typeof DEFAULT_DEAL_STAGES)[number], Omit<StageDef, 'id'>>> = {
  appointmentscheduled: { label: 'Appointment Scheduled', probability: 0.2, closed: false },
  qualifiedtobuy: { label: 'Qualified To Buy', probability: 0.4, closed: false },
  presentationscheduled: { label: 'Presentation Scheduled', probability: 0.6, closed: false },
  decisionmakerboughtin: { label: 'Decision Maker Bought-In', probability: 0.8, closed: false },
  contractsent: { label: 'Contract Sent', probability: 0.9, closed: false },
  closedwon: { label: 'Closed Won', probability: 1, closed: true },
  closedlost: { label: 'Closed Lost', probability: 0, closed: true },
};

/** The deal pipelines of a new portal: the default sales pipeline only. */
export const DEFAULT_PIPELINES: readonly PipelineDef[] = [
  {
    id: DEFAULT_PIPELINE,
    label: 'Sales Pipeline',
    stages: DEFAULT_DEAL_STAGES.map((id) => ({ id, ...DEFAULT_STAGE_SETTINGS[id] })),
  },
];

/** A second pipeline, as a portal's admin might add one; for tests of deals outside the default pipeline. */
export const PARTNER_PIPELINE: PipelineDef = {
  id: 'partner',
  label: 'Partner Pipeline',
  stages: [
    { id: 'partnerqualified', label: 'Partner Qualified', probability: 0.3, closed: false },
    { id: 'partnercommitted', label: 'Partner Committed', probability: 0.7, closed: false },
    { id: 'partnerwon', label: 'Partner Won', probability: 1, closed: true },
    { id: 'partnerlost', label: 'Partner Lost', probability: 0, closed: true },
  ],
};

/** Pipelines in the API's JSON shape. */
export function pipelinesBody(pipelines: readonly PipelineDef[], at: string): unknown {
  return {
    results: pipelines.map((p, i) => ({
      id: p.id,
      label: p.label,
      displayOrder: i,
      archived: false,
      createdAt: at,
      updatedAt: at,
      stages: p.stages.map((s, j) => ({
        id: s.id,
        label: s.label,
        displayOrder: j,
        archived: false,
        createdAt: at,
        updatedAt: at,
        metadata: { probability: String(s.probability), isClosed: String(s.closed) },
      })),
    })),
  };
}
