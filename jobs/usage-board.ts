import type { Redis } from 'ioredis';
import * as z from 'zod';
import type { Connector } from '../src/connector/types.ts';
import { ownKey } from './names.ts';

/** The API budget of one connection as its provider last reported it. */
export const BudgetEntry = z.strictObject({
  system: z.string(),
  used: z.number(),
  limit: z.number(),
  /** When the worker read it (ISO 8601). */
  at: z.string(),
});
export type BudgetEntry = z.infer<typeof BudgetEntry>;

/**
 * The API budgets the workers saw, kept in Redis so that `crm-bridge status` can show them without calling the
 * CRMs. Numbers only: no URLs, no tokens.
 */
export class UsageBoard {
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#key = ownKey(prefix, 'usage');
  }

  /** Records what each connector last reported (connectors that report nothing are left out). */
  async publish(connectors: Readonly<Record<string, Connector>>, now = new Date()): Promise<void> {
    const fields: Record<string, string> = {};
    for (const [connection, connector] of Object.entries(connectors)) {
      const usage = connector.usage?.();
      if (usage === undefined) continue;
      const entry: BudgetEntry = { system: connector.system, ...usage, at: now.toISOString() };
      fields[connection] = JSON.stringify(entry);
    }
    if (Object.keys(fields).length > 0) await this.#redis.hset(this.#key, fields);
  }

  /** The last budget per connection; entries that do not parse are skipped. */
  async read(): Promise<Record<string, BudgetEntry>> {
    const out: Record<string, BudgetEntry> = {};
    for (const [connection, text] of Object.entries(await this.#redis.hgetall(this.#key))) {
      const parsed = BudgetEntry.safeParse(JSON.parse(text));
      if (parsed.success) out[connection] = parsed.data;
    }
    return out;
  }
}
