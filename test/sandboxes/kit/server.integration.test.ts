import { afterEach, describe, expect, it } from 'vitest';
import { SandboxServer } from '../../../sandboxes/kit/index.ts';

describe('sandbox server', () => {
  let server: SandboxServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  const start = async () => {
    server = new SandboxServer({
      faultResponse: (fault) => ({ status: fault === 'rateLimited' ? 429 : 503, body: { fault } }),
    });
    server.route('GET', '/items/:id', (req) => ({ status: 200, body: { id: req.params.id } }), 'GET /items');
    return server.listen();
  };

  it('routes by pattern and counts calls per endpoint', async () => {
    const url = await start();
    const res = await fetch(`${url}/items/abc`);
    expect(await res.json()).toEqual({ id: 'abc' });
    await fetch(`${url}/items/def`);
    expect(server?.calls.get('GET /items')).toBe(2);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
  });

  it('injects faults at the configured rate, reproducibly', async () => {
    const url = await start();
    server?.faults.set({ unavailable: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await fetch(`${url}/items/x`)).status);
    const failed = statuses.filter((s) => s === 503).length;
    expect(failed).toBe(server?.faults.injected.unavailable);
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });

  it('resets the connection for an injected reset', async () => {
    const url = await start();
    server?.faults.set({ reset: 1 });
    await expect(fetch(`${url}/items/x`)).rejects.toThrow();
  });
});
