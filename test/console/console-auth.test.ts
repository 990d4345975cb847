import { describe, expect, it } from 'vitest';
import { Sessions, sameToken } from '../../console/auth.ts';

const ADMIN = 'admin-token-0123456789abcdef';
const VIEWER = 'viewer-token-0123456789abcdef';

describe('console sign-in', () => {
  it('compares tokens whole: a prefix, a longer token or an empty one is not the token', () => {
    expect(sameToken(ADMIN, ADMIN)).toBe(true);
    expect(sameToken(ADMIN.slice(0, -1), ADMIN)).toBe(false);
    expect(sameToken(`${ADMIN}0`, ADMIN)).toBe(false);
    expect(sameToken('', '')).toBe(false);
  });

  it('gives each token its role, a fresh session id and CSRF token, and forgets sessions at expiry', () => {
    let now = 0;
    const sessions = new Sessions({ admin: ADMIN, readonly: VIEWER }, () => now);
    const admin = sessions.signIn(ADMIN);
    const viewer = sessions.signIn(VIEWER);
    expect(admin?.role).toBe('admin');
    expect(viewer?.role).toBe('readonly');
    expect(admin?.id).not.toBe(viewer?.id);
    expect(admin?.csrf).not.toBe(admin?.id);
    const request = (id: string | undefined) =>
      ({ headers: { cookie: `crm_bridge_console=${id}` } }) as Parameters<Sessions['of']>[0];
    expect(sessions.of(request(admin?.id))?.role).toBe('admin');
    now = 12 * 3_600_000;
    expect(sessions.of(request(admin?.id))).toBeUndefined();
  });

  it('stops looking at tokens after 20 wrong ones in a minute, and starts again after it', () => {
    let now = 0;
    const sessions = new Sessions({ admin: ADMIN }, () => now);
    for (let i = 0; i < 20; i++) expect(sessions.signIn(`guess-${i}`)).toBeUndefined();
    expect(sessions.throttled()).toBe(true);
    now = 60_001;
    expect(sessions.throttled()).toBe(false);
    expect(sessions.signIn(ADMIN)?.role).toBe('admin');
  });
});
