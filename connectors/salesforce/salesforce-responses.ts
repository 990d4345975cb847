import * as z from 'zod';
import { ConnectorFailure } from '../../src/connector/errors.ts';
import type {
  BulkJobState,
  DescribeResult,
  LeadConvertResult,
  MetadataResult,
  QueryPage,
  SaveResult,
} from './salesforce-client.ts';

/**
 * The shapes of Salesforce's answers the connector relies on, checked at jsforce's edge: a changed or broken answer
 * (an HTML error page from a proxy, a truncated body) fails there with its path, not as an undefined in a pull.
 */
const recordError = z.object({
  statusCode: z.string().optional(),
  errorCode: z.string().optional(),
  message: z.string(),
  fields: z.array(z.string()).optional(),
});

const queryPage = z.object({
  records: z.array(z.record(z.string(), z.unknown())),
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

const saveResults = z.array(
  z.object({
    id: z
      .string()
      .nullish()
      .transform((v) => v ?? undefined),
    success: z.boolean(),
    errors: z.array(recordError),
    created: z.boolean().optional(),
  }),
);

const describeResult = z.object({
  name: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      label: z.string().optional(),
      length: z.number().optional(),
      nillable: z.boolean(),
      createable: z.boolean(),
      updateable: z.boolean(),
      defaultedOnCreate: z.boolean().optional(),
      externalId: z.boolean().optional(),
      picklistValues: z
        .array(z.object({ value: z.string(), active: z.boolean(), label: z.string().nullish() }))
        .optional(),
    }),
  ),
});

const convertResults = z.array(
  z.object({
    leadId: z.string().nullish(),
    success: z.boolean(),
    accountId: z.string().nullish(),
    contactId: z.string().nullish(),
    opportunityId: z.string().nullish(),
    errors: z.array(recordError).optional(),
  }),
);

const bulkCreated = z.object({ id: z.string() });

const bulkJob = z.object({
  state: z.string(),
  errorMessage: z
    .string()
    .nullish()
    .transform((v) => v ?? undefined),
});

const dailyLimits = z.object({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }).optional(),
});

/** SOAP answers come through XML: a single element may arrive as an object, a flag as a string. */
const list = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item]).transform((v) => (Array.isArray(v) ? v : [v]));
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');

const metadataResults = list(
  z.object({
    fullName: z.string().default(''),
    success: flag,
    created: flag.optional(),
    errors: list(
      z.object({
        statusCode: z.string().optional(),
        message: z.string().default(''),
        fields: list(z.string()).optional(),
      }),
    )
      .nullish()
      .transform((v) => v ?? []),
  }),
);

const identity = z.object({ user_id: z.string(), username: z.string() });

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ConnectorFailure({
    kind: 'unavailable',
    code: 'UNEXPECTED_RESPONSE',
    message: `Salesforce answered ${what} in an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
  });
}

export const parse = {
  queryPage: (value: unknown): QueryPage => check(queryPage, value, 'a query'),
  saveResults: (value: unknown): SaveResult[] => check(saveResults, value, 'a collection call'),
  describe: (value: unknown): DescribeResult => check(describeResult, value, 'describe'),
  convertResults: (value: unknown): LeadConvertResult[] =>
    check(convertResults, Array.isArray(value) ? value : [value], 'convertLead'),
  bulkCreated: (value: unknown): string => check(bulkCreated, value, 'a new Bulk API 2.0 job').id,
  bulkJob: (value: unknown): BulkJobState => check(bulkJob, value, 'a Bulk API 2.0 job status'),
  dailyLimits: (value: unknown) => check(dailyLimits, value, 'limits'),
  metadataResults: (value: unknown): MetadataResult[] => check(metadataResults, value, 'a Metadata API call'),
  identity: (value: unknown) => {
    const { user_id, username } = check(identity, value, 'the identity service');
    return { userId: user_id, username };
  },
};
