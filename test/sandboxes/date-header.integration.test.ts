import { afterEach, describe, expect, it } from 'vitest';
import { HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import { PipedriveSandbox } from '../../sandboxes/pipedrive/index.ts';
import { startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';

const HOUR = 3_600_000;

/** The `Date` of one answer (any answer: a refused call carries one too), against this machine's clock. */
async function dateOf(url: string): Promise<{ date: number; before: number; after: number }> {
  const before = Date.now();
  const answer = await fetch(url);
  await answer.arrayBuffer();
  const date = answer.headers.get('date');
  expect(date).not.toBeNull();
  return { date: Date.parse(date as string), before, after: Date.now() };
}

/** An HTTP date drops the milliseconds. */
const within = ({ date, before, after }: { date: number; before: number; after: number }, shift = 0) => {
  expect(date).toBeGreaterThanOrEqual(before + shift - 1000);
  expect(date).toBeLessThanOrEqual(after + shift);
};

describe("each sandbox's answers carry a Date, as the real APIs' do", () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it("Salesforce: its clock is this machine's", async () => {
    const sf = await startSalesforceSandbox({});
    open.push(sf);
    within(await dateOf(`${sf.url}/services/data/v62.0/limits`));
  });

  it('HubSpot and Pipedrive: the clock that stamps their records, when a test moves it', async () => {
    const clock = () => Date.now() - HOUR;
    const hs = await HubSpotSandbox.start({ clock });
    const pd = await PipedriveSandbox.start({ clock });
    open.push(hs, pd);
    within(await dateOf(`${hs.url}/crm/v3/objects/contacts`), -HOUR);
    within(await dateOf(`${pd.url}/api/v2/persons`), -HOUR);
  });
});
