import { existsSync } from 'node:fs';
import type { SyncContext } from '../src/sync/context.ts';
import { objectsOf } from '../src/sync/field-table.ts';
import { openRuntime, setupProblem } from './runtime.ts';

/** `<connection or system>:<object>:<id>`, e.g. `sf:Lead:00Q…`, `salesforce:Lead:00Q…`, `hubspot:contacts:101`. */
const RECORD_REF = /^([a-z][a-z0-9_]*):([A-Za-z][A-Za-z0-9_]*):([^\s:]+)$/;

/** Whether a command-line argument names a CRM record rather than a file. */
export function isRecordRef(argument: string | undefined): argument is string {
  return argument !== undefined && RECORD_REF.test(argument) && !existsSync(argument);
}

type Fetched = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

/** The connection a reference names: by connection name, or by system when one connection of the pair has it. */
function connectionOf(ctx: SyncContext, name: string): string | undefined {
  if (ctx.connectors[name] !== undefined) return name;
  return ctx.config.sync.pair.find((c) => ctx.config.connections[c]?.system === name);
}

/**
 * Reads one person record from its CRM, as `{ connection, object, id, fields, converted?, account? }` for
 * `crm-bridge explain`; `converted` is what a Lead Salesforce already converted became, `account` the record of the
 * account the person belongs to.
 */
export async function fetchRecord(reference: string, config: string | undefined): Promise<Fetched> {
  const [, name = '', object = '', id = ''] = RECORD_REF.exec(reference) ?? [];
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  try {
    runtime = await openRuntime(config);
  } catch (error) {
    const problem = setupProblem(error);
    if (problem !== undefined) return { ok: false, problems: [problem] };
    throw error;
  }
  try {
    const { ctx } = runtime;
    const connection = connectionOf(ctx, name);
    const connector = connection === undefined ? undefined : ctx.connectors[connection];
    if (connection === undefined || connector === undefined) {
      return {
        ok: false,
        problems: [
          `${reference}: no connection or system "${name}" in sync.pair (${ctx.config.sync.pair.join(', ')})`,
        ],
      };
    }
    const objects = objectsOf(ctx.config, 'person', connection);
    if (!objects.includes(object)) {
      return {
        ok: false,
        problems: [`${reference}: ${object} is not a person object of ${connection} (${objects.join(', ')})`],
      };
    }
    if (connector.read === undefined)
      return { ok: false, problems: [`${reference}: the ${connector.system} connector cannot read by id`] };
    const [record] = await connector.read(
      object,
      [id],
      ctx.mapping.fieldsToRead('person', connection, object),
    );
    if (record === undefined) return { ok: false, problems: [`${reference}: no such record`] };
    // Conversion is a fact the connector reports beside the fields (as it does to the sync engine), not a field.
    const converted = record.converted === undefined ? {} : { converted: record.converted };
    // A Contact's company facts live on its Account (a HubSpot contact's on its company), as the sync reads them.
    const mapped = ctx.mapping.toUnified('person', connection, object, record);
    const accountId = mapped.ok ? mapped.value.account?.refs[connection] : undefined;
    const [accountObject] = objectsOf(ctx.config, 'account', connection);
    let account = {};
    if (accountId !== undefined && accountObject !== undefined) {
      const [found] = await connector.read(
        accountObject,
        [accountId],
        ctx.mapping.fieldsToRead('account', connection, accountObject),
      );
      if (found !== undefined) account = { account: { id: found.id, fields: found.fields } };
    }
    // A rep's decision recorded from the CLI (`crm-bridge conversions accept`) counts as the sync counts it.
    const [link] = (await ctx.store.findLinks([{ connection, object, externalId: record.id }])).values();
    const approval =
      link === undefined ? undefined : (await ctx.store.approvalsOf([link.unifiedId])).get(link.unifiedId);
    const decision = approval === undefined ? {} : { decision: approval.decision };
    return {
      ok: true,
      value: {
        connection,
        object,
        id: record.id,
        fields: record.fields,
        ...converted,
        ...account,
        ...decision,
      },
    };
  } finally {
    await runtime.close();
  }
}
