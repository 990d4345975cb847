import * as z from 'zod';
import { ConnectorFailure } from '../../src/connector/errors.ts';

/** A record as the API returns it: an object with an id; every other member is read by the record mapper. */
export const RawRecord = z.looseObject({ id: z.union([z.number(), z.string()]) });
export type RawRecord = z.infer<typeof RawRecord>;

/** Pipedrive's envelope around every answer. */
const envelope = <T extends z.ZodType>(data: T) =>
  z.looseObject({ success: z.literal(true), data, additional_data: z.looseObject({}).nullish() });

export const V2Page = envelope(z.array(RawRecord)).extend({
  additional_data: z.looseObject({ next_cursor: z.string().nullish() }).nullish(),
});

const Pagination = z.looseObject({ more_items_in_collection: z.boolean().optional() });

export const V1Page = envelope(z.array(RawRecord).nullable()).extend({
  additional_data: z.looseObject({ pagination: Pagination.optional() }).nullish(),
});

export const RecordAnswer = envelope(RawRecord);

export const FieldInfo = z.looseObject({
  key: z.string(),
  name: z.string(),
  field_type: z.string(),
  mandatory_flag: z.boolean().optional(),
  edit_flag: z.boolean().optional(),
  active_flag: z.boolean().optional(),
  options: z.array(z.looseObject({ id: z.union([z.number(), z.string()]), label: z.string() })).nullish(),
});
export type FieldInfo = z.infer<typeof FieldInfo>;

export const FieldsPage = envelope(z.array(FieldInfo).nullable()).extend({
  additional_data: z.looseObject({ pagination: Pagination.optional() }).nullish(),
});

export const FieldAnswer = envelope(FieldInfo);

export const SearchAnswer = envelope(
  z.looseObject({ items: z.array(z.looseObject({ item: RawRecord })) }),
).extend({ additional_data: z.looseObject({ next_cursor: z.string().nullish() }).nullish() });

export const ConversionStarted = envelope(z.looseObject({ conversion_id: z.string() }));

export const ConversionStatus = envelope(
  z.looseObject({
    status: z.string(),
    deal_id: z.number().nullish(),
  }),
);

export const RecentsPage = envelope(
  z
    .array(
      z.looseObject({
        item: z.string(),
        id: z.union([z.number(), z.string()]),
        data: z
          .looseObject({ active_flag: z.boolean().optional(), update_time: z.string().nullish() })
          .nullish(),
      }),
    )
    .nullable(),
).extend({ additional_data: z.looseObject({ pagination: Pagination.optional() }).nullish() });

/** Parses an answer at the connector's edge; an answer of another shape is the API changing under us. */
export function checked<T extends z.ZodType>(schema: T, answer: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(answer);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConnectorFailure({
    kind: 'unavailable',
    message: `Pipedrive's answer to ${what} was not of the expected shape (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
    code: 'UNEXPECTED_ANSWER',
  });
}

/** A named thing listed by id: a pipeline, a stage (with its pipeline), a lead label. */
export const Named = z.looseObject({
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  pipeline_id: z.number().nullish(),
});
export type Named = z.infer<typeof Named>;

export const NamedList = envelope(z.array(Named).nullable());
