import { describe, expect, it } from 'vitest';
import { createLogger } from '../../jobs/logger.ts';
import { progressLog } from '../../jobs/progress-log.ts';

/** A worker's long round shows in its JSON log: pulled and written so far, a line per entity at most so often. */
describe('the worker progress log', () => {
  it('logs each entity’s records pulled and written, at most once per interval', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const onProgress = progressLog(logger, 50);
    onProgress({ kind: 'pulled', entity: 'person', target: 'sf/Lead', records: 2000 });
    onProgress({ kind: 'pulled', entity: 'person', target: 'sf/Lead', records: 2000 });
    await new Promise((r) => setTimeout(r, 60));
    onProgress({ kind: 'pulled', entity: 'person', target: 'hs/contacts', records: 100 });
    onProgress({ kind: 'planned', entity: 'person', writes: 300, conversions: 0, batches: 3 });
    await new Promise((r) => setTimeout(r, 60));
    onProgress({ kind: 'pushed', entity: 'person', written: 100, converted: 0 });
    onProgress({ kind: 'pushed', entity: 'person', written: 100, converted: 0 });
    const progress = lines
      .filter((l) => l.msg === 'progress')
      .map(({ entity, pulled, written }) => ({ entity, pulled, written }));
    expect(progress).toEqual([
      { entity: 'person', pulled: 2000, written: 0 },
      { entity: 'person', pulled: 4100, written: 0 },
      { entity: 'person', pulled: 0, written: 100 },
    ]);
  });
});
