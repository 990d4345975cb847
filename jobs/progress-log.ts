import type { EntityName } from '../src/model/index.ts';
import type { OnProgress } from '../src/sync/progress.ts';
import type { Logger } from './logger.ts';

/**
 * A worker's progress in its JSON log: how many records each entity has pulled and written so far, at most one
 * line per entity every `everyMs` (default 10 s) while it moves. The steps of a round run in several processes, so
 * each worker logs what it did itself.
 */
export function progressLog(logger: Logger, everyMs = 10_000): OnProgress {
  const pulled = new Map<EntityName, number>();
  const written = new Map<EntityName, number>();
  const logged = new Map<EntityName, number>();
  const maybeLog = (entity: EntityName) => {
    const now = Date.now();
    if (now - (logged.get(entity) ?? 0) < everyMs) return;
    logged.set(entity, now);
    logger.info({ entity, pulled: pulled.get(entity) ?? 0, written: written.get(entity) ?? 0 }, 'progress');
  };
  return (event) => {
    switch (event.kind) {
      case 'pulled':
        pulled.set(event.entity, (pulled.get(event.entity) ?? 0) + event.records);
        maybeLog(event.entity);
        break;
      case 'planned':
        // The round's job logs the plan itself, with its run id.
        pulled.delete(event.entity);
        break;
      case 'pushed':
        written.set(event.entity, (written.get(event.entity) ?? 0) + event.written);
        maybeLog(event.entity);
        break;
      case 'recorded':
        written.delete(event.entity);
        logged.delete(event.entity);
        break;
    }
  };
}
