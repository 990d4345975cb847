import { ConnectorFailure } from '../../src/connector/errors.ts';
import type { ApiUsage } from '../../src/connector/types.ts';

/** How long to wait before trying again once the reserve is reached: the allocation is a rolling 24 h window. */
const RESERVE_RETRY_MS = 60 * 60 * 1000;

/**
 * Keeps a share of the org's daily API allocation for everyone else: once less than `reserve` of it is left, no
 * new page, batch or conversion is started.
 */
export class DailyReserve {
  readonly #reserve: number;
  #usage: ApiUsage | undefined;

  /** @param reserve share of the daily allocation to leave untouched (0..0.9, default 0.1). */
  constructor(reserve: number) {
    this.#reserve = reserve;
  }

  /** Records the latest usage Salesforce reported (Sforce-Limit-Info or the limits resource). */
  observe(usage: ApiUsage | undefined): void {
    if (usage && usage.limit > 0) this.#usage = { used: usage.used, limit: usage.limit };
  }

  get usage(): ApiUsage | undefined {
    return this.#usage;
  }

  /** Whether the latest reading leaves less than the reserve. */
  get reached(): boolean {
    const margin = this.#margin();
    return margin !== undefined && margin.left < margin.keep;
  }

  /** Throws a rate-limited ConnectorFailure when the reserve is reached; call before starting new work. */
  check(): void {
    const margin = this.#margin();
    if (margin === undefined || margin.left >= margin.keep) return;
    const { usage, left, keep } = margin;
    const percent = Math.round(this.#reserve * 100);
    throw new ConnectorFailure({
      kind: 'rate-limited',
      code: 'DAILY_API_RESERVE',
      retryAfterMs: RESERVE_RETRY_MS,
      message:
        `Salesforce daily API allocation nearly used: ${usage.used} of ${usage.limit} calls made, ${Math.max(0, left)} left. ` +
        `crm-bridge keeps ${percent}% (${keep} calls) in reserve for other integrations and starts no new work ` +
        `until the rolling 24-hour window frees calls (or lower dailyReserve in the connection settings).`,
    });
  }

  /** Calls left by the latest reading, and how many the reserve keeps. */
  #margin(): { usage: ApiUsage; left: number; keep: number } | undefined {
    const usage = this.#usage;
    if (!usage) return undefined;
    return { usage, left: usage.limit - usage.used, keep: Math.ceil(usage.limit * this.#reserve) };
  }
}
