import { ORG_ID, USER_ID } from './auth.ts';
import type { SandboxContext } from './context.ts';

/**
 * Who the API user is, as jsforce's `conn.identity()` asks it: the version's resource list names the identity URL,
 * which describes the user every token of the sandbox belongs to.
 */
export function identityRoutes(ctx: SandboxContext): void {
  ctx.route('GET', '/services/data/:version', 'resources', (request) => {
    const base = `/services/data/${request.params.version ?? ''}`;
    return {
      status: 200,
      body: {
        identity: `${ctx.baseUrl()}/id/${ORG_ID}/${USER_ID}`,
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        limits: `${base}/limits`,
      },
    };
  });
  ctx.route('GET', '/id/:org/:user', 'identity', (request) => {
    const user = ctx.store.get('User', USER_ID);
    if (request.params.org !== ORG_ID || request.params.user !== USER_ID || !user)
      return { status: 404, body: 'Bad_Id' };
    return {
      status: 200,
      body: {
        id: `${ctx.baseUrl()}/id/${ORG_ID}/${USER_ID}`,
        user_id: USER_ID,
        organization_id: ORG_ID,
        username: user.Username,
        display_name: user.Name,
        email: user.Email,
        active: true,
        user_type: 'STANDARD',
      },
    };
  });
}
