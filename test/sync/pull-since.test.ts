import { describe, expect, it } from 'vitest';
import { withOverlap } from '../../src/sync/pull.ts';

const overlap = 2 * 60_000;
const id = '00Q000000000001AAA';

describe('where a pull starts, from the saved cursor and the overlap window', () => {
  it('reads everything the first time', () => {
    expect(withOverlap(undefined, overlap)).toBeUndefined();
  });

  it('goes back by the window from the newest change for a cursor saved without its pull time', () => {
    expect(withOverlap({ modifiedAt: '2026-11-25T12:00:00.000Z', id }, overlap)).toEqual({
      modifiedAt: '2026-11-25T11:58:00.000Z',
      id: '',
    });
  });

  it('goes back by the window from the last pull when records changed shortly before it', () => {
    // The last record read changed 30 s before the pull began: one committed late may sit up to 2 m before it.
    const cursor = { modifiedAt: '2026-11-25T11:59:30.000Z', id, pulledAt: '2026-11-25T12:00:00.000Z' };
    expect(withOverlap(cursor, overlap)).toEqual({ modifiedAt: '2026-11-25T11:58:00.000Z', id: '' });
  });

  it('starts strictly after the cursor when the org was idle for longer than the window', () => {
    // Everything was changed a day before the last pull: nothing it missed can be older than the cursor.
    const cursor = { modifiedAt: '2026-11-24T12:00:00.000Z', id, pulledAt: '2026-11-25T12:00:00.000Z' };
    expect(withOverlap(cursor, overlap)).toEqual({ modifiedAt: '2026-11-24T12:00:00.000Z', id });
  });

  it('starts at the window, every id included, when the cursor sits exactly at its start', () => {
    // A record of the same instant with a smaller id may have been committed after the pull began.
    const cursor = { modifiedAt: '2026-11-25T11:58:00.000Z', id, pulledAt: '2026-11-25T12:00:00.000Z' };
    expect(withOverlap(cursor, overlap)).toEqual({ modifiedAt: '2026-11-25T11:58:00.000Z', id: '' });
  });

  it('keeps the CRM pull time out of the position handed to the connector', () => {
    const cursor = { modifiedAt: '2026-11-24T12:00:00.000Z', id, pulledAt: '2026-11-25T12:00:00.000Z' };
    expect(withOverlap(cursor, overlap)).not.toHaveProperty('pulledAt');
  });
});
