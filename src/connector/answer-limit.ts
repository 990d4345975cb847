/**
 * The largest answer accepted from a CRM: a full page of records (2,000 Salesforce records of a few hundred fields,
 * 100 HubSpot records with their properties) is a few megabytes, so this is far above any answer crm-bridge asks
 * for and far below what would exhaust the memory of a worker holding it whole.
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

/** An answer larger than the bound, refused while it arrives (connectors report it as an invalid call). */
export class AnswerTooLarge extends Error {
  override readonly name = 'AnswerTooLarge';
  readonly limit: number;

  constructor(system: string, limit: number) {
    super(`${system}'s answer was larger than ${limit} bytes, the most crm-bridge accepts; it was refused`);
    this.limit = limit;
  }
}
