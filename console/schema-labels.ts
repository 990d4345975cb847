import type { FieldDescription } from '../src/connector/types.ts';
import type { SyncContext } from '../src/sync/context.ts';

/** What the CRMs say of the fields the config maps: per `connection/object/field`, and what could not be read. */
export interface SchemaLabels {
  field(connection: string, object: string, name: string): FieldDescription | undefined;
  /** Objects whose describe failed, with why (the page still shows the field names). */
  readonly problems: readonly string[];
}

/** Describes each object once (the connectors keep what they read), for labels and picklist values. */
export async function describeObjects(
  ctx: SyncContext,
  objects: readonly { readonly connection: string; readonly object: string }[],
  scrub: (text: string) => string,
): Promise<SchemaLabels> {
  const fields = new Map<string, FieldDescription>();
  const problems: string[] = [];
  const unique = [...new Map(objects.map((o) => [`${o.connection}/${o.object}`, o])).values()];
  await Promise.all(
    unique.map(async ({ connection, object }) => {
      const connector = ctx.connectors[connection];
      if (connector === undefined) return;
      try {
        const schema = await connector.describe(object);
        for (const f of schema.fields) fields.set(`${connection}/${object}/${f.name}`, f);
      } catch (error) {
        problems.push(`${connection} ${object}: ${scrub((error as Error).message)}`);
      }
    }),
  );
  return {
    field: (connection, object, name) => fields.get(`${connection}/${object}/${name}`),
    problems,
  };
}
