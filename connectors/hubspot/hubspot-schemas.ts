import * as z from 'zod';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type {
  AssociationPage,
  AssociationRow,
  HubSpotBatch,
  HubSpotBatchError,
  HubSpotPage,
  PipelineInfo,
  PropertyInfo,
} from './hubspot-api-types.ts';

/**
 * The shapes of HubSpot's answers that the connector relies on, checked at the SDK's edge: a changed or broken
 * answer fails there, with its path, instead of as an undefined deep in a pull. Unknown keys are dropped.
 */
const object = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.date().optional(),
  updatedAt: z.date().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.date().optional(),
  objectWriteTraceId: z.string().optional(),
  _new: z.boolean().optional(),
});

const batchError = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  id: z.string().optional(),
  context: z.record(z.string(), z.array(z.string())).optional(),
  errors: z
    .array(
      z.object({ message: z.string().optional(), code: z.string().optional(), _in: z.string().optional() }),
    )
    .optional(),
});

const page = z.object({
  results: z.array(object),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
  total: z.number().optional(),
});

const batch = z.object({ results: z.array(object), errors: z.array(batchError).optional() });

const nextPage = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

const associatedIds = z.array(z.object({ toObjectId: z.union([z.string(), z.number()]) }));

const associations = z.object({
  results: z.array(z.object({ _from: z.object({ id: z.string() }), to: associatedIds, paging: nextPage })),
});

const associationPage = z.object({ results: associatedIds, paging: nextPage });

const associated = z.object({ errors: z.array(batchError).optional() });

const property = z.object({
  name: z.string(),
  label: z.string().optional(),
  type: z.string(),
  fieldType: z.string().optional(),
  calculated: z.boolean().optional(),
  hasUniqueValue: z.boolean().optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).optional(),
  options: z
    .array(
      z.object({
        value: z.string(),
        label: z.string().optional(),
        hidden: z.boolean().optional(),
        displayOrder: z.number().optional(),
      }),
    )
    .optional(),
});

const pipeline = z.object({
  id: z.string(),
  label: z.string(),
  stages: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      displayOrder: z.number(),
      metadata: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

const token = z.object({ accessToken: z.string().min(1), expiresIn: z.number() });

function checker<T>(schema: z.ZodType, what: string): (value: unknown) => T {
  return (value) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data as T;
    throw new ConnectorFailure({
      kind: 'unavailable',
      code: 'BAD_RESPONSE',
      message: `HubSpot's ${what} answer is not in the expected shape: ${z.prettifyError(result.error)}`,
    });
  };
}

/** Checks an answer's shape; a mismatch throws `unavailable` with code BAD_RESPONSE. */
export const checked = {
  page: checker<HubSpotPage>(page, 'page'),
  batch: checker<HubSpotBatch>(batch, 'batch'),
  associations: checker<{ readonly results: readonly AssociationRow[] }>(associations, 'associations'),
  associationPage: checker<AssociationPage>(associationPage, 'association page'),
  associated: checker<{ readonly errors?: readonly HubSpotBatchError[] }>(associated, 'association'),
  properties: checker<readonly PropertyInfo[]>(z.array(property), 'properties'),
  pipelines: checker<readonly PipelineInfo[]>(z.array(pipeline), 'pipelines'),
  token: checker<{ readonly accessToken: string; readonly expiresIn: number }>(token, 'token'),
};
