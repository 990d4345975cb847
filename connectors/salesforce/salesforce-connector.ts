import { timedPull } from '../../src/connector/server-clock.ts';
import type {
  ApiUsage,
  Connector,
  Conversion,
  ConversionResult,
  Cursor,
  DeletedRef,
  ExternalRecord,
  ObjectSchema,
  Page,
  PullOptions,
  Write,
  WriteResult,
} from '../../src/connector/types.ts';
import { convertLeads } from './salesforce-convert.ts';
import { recordError } from './salesforce-errors.ts';
import { deletedPages, type PullTuning, pullPages, readRecords } from './salesforce-pull.ts';
import { pushWrites } from './salesforce-push.ts';
import { buildSelect, isSalesforceId, malformedId } from './salesforce-query.ts';
import type { Session } from './salesforce-session.ts';
import { SalesforceSetup } from './salesforce-setup.ts';

export type ConnectorTuning = PullTuning;

/** Salesforce through jsforce: every capability of the Connector contract, on one shared session. */
export class SalesforceConnector implements Connector {
  readonly system = 'salesforce' as const;
  readonly #session: Session;
  readonly #tuning: ConnectorTuning;
  readonly #onClose: () => Promise<void>;
  #convertedStatus: Promise<string> | undefined;

  constructor(session: Session, tuning: ConnectorTuning, onClose: () => Promise<void> = async () => {}) {
    this.#session = session;
    this.#tuning = tuning;
    this.#onClose = onClose;
  }

  forgetDescribe(): void {
    this.#session.describe.forget();
  }

  /** Creates the custom fields a config writes and grants them to the API user (`crm-bridge setup`). */
  setup(): SalesforceSetup {
    return new SalesforceSetup(this.#session);
  }

  async describe(object: string): Promise<ObjectSchema> {
    return (await this.#session.describe.get(object)).schema();
  }

  pull(object: string, options: PullOptions): AsyncIterable<Page<ExternalRecord>> {
    return timedPull(
      this.#session.clock,
      pullPages(this.#session, object, options, this.#tuning),
      options.onPulledAt,
    );
  }

  read(object: string, ids: readonly string[], fields: readonly string[]): Promise<ExternalRecord[]> {
    return readRecords(this.#session, object, ids, fields);
  }

  deleted(object: string, since: Cursor): AsyncIterable<readonly DeletedRef[]> {
    return deletedPages(this.#session, object, since, this.#tuning.pageSize);
  }

  push(object: string, writes: readonly Write[]): Promise<WriteResult[]> {
    return pushWrites(this.#session, object, writes);
  }

  /**
   * Deletes records, 200 per call; a record already deleted counts as removed (so a retry is harmless). A string that
   * is no Salesforce id fails on its own, without a call.
   */
  async remove(object: string, ids: readonly string[]): Promise<WriteResult[]> {
    const out = new Map<string, WriteResult>();
    for (const id of ids)
      if (!isSalesforceId(id)) out.set(id, { ref: id, ok: false, error: malformedId(id) });
    const valid = ids.filter(isSalesforceId);
    for (let i = 0; i < valid.length; i += 200) {
      const part = valid.slice(i, i + 200);
      const results = await this.#session.call((client) => client.destroy(object, part));
      part.forEach((id, k) => {
        const result = results[k];
        const errors = result?.errors ?? [];
        const gone = errors.some((e) => (e.statusCode ?? e.errorCode) === 'ENTITY_IS_DELETED');
        if (result?.success || gone) out.set(id, { ref: id, ok: true, id, created: false });
        else {
          const first = errors[0] ?? { message: 'delete refused' };
          out.set(id, { ref: id, ok: false, error: recordError(first, this.#session.secrets()) });
        }
      });
    }
    return ids.map((id) => out.get(id) as WriteResult);
  }

  convert(conversions: readonly Conversion[]): Promise<ConversionResult[]> {
    return convertLeads(this.#session, conversions, () => this.#defaultConvertedStatus());
  }

  /** API calls this connector has made (retries included). */
  calls(): number {
    return this.#session.calls;
  }

  usage(): ApiUsage | undefined {
    return this.#session.reserve.usage;
  }

  close(): Promise<void> {
    return this.#onClose();
  }

  /** The org's converted lead status (LeadStatus with IsConverted = true), read once. */
  #defaultConvertedStatus(): Promise<string> {
    if (!this.#convertedStatus) {
      const soql = buildSelect({
        object: 'LeadStatus',
        fields: ['MasterLabel'],
        where: ['IsConverted = true'],
        orderBy: ['SortOrder'],
        limit: 1,
      });
      this.#convertedStatus = this.#session
        .call((c) => c.query(soql, { scanAll: false }))
        .then((page) => String(page.records[0]?.MasterLabel ?? 'Closed - Converted'));
      this.#convertedStatus.catch(() => {
        this.#convertedStatus = undefined;
      });
    }
    return this.#convertedStatus;
  }
}
