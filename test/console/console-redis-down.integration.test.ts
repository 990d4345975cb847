import { describe, expect, it } from 'vitest';
import { assembleConsole, connectConsoleRedis } from '../../console/assemble.ts';
import { LiveProject } from '../../console/live-project.ts';
import { startConsoleServer } from '../../console/server.ts';
import { quietRuntime } from '../jobs/worker-kit.ts';
import { ADMIN_TOKEN, signIn } from './console-kit.ts';

describe('the console while Redis is away', () => {
  it('answers a page with what failed within seconds instead of hanging', async () => {
    const runtime = await quietRuntime();
    // Nothing listens on port 1.
    const redis = connectConsoleRedis('redis://127.0.0.1:1');
    const assembled = assembleConsole({
      project: new LiveProject(runtime.ctx, 'config/example.yaml'),
      redis,
      prefix: '{crm-bridge-test-down}',
      tokens: { admin: ADMIN_TOKEN },
      env: {},
      pageTimeoutMs: 2_000,
    });
    const server = await startConsoleServer(assembled.deps, { port: 0 });
    try {
      const url = `http://127.0.0.1:${server.port}`;
      const { cookie } = await signIn(url, ADMIN_TOKEN).catch(() => ({ cookie: '' }));
      const started = Date.now();
      const response = await fetch(`${url}/quarantine`, { headers: { cookie } });
      // The quarantine lives in the store: it still answers.
      expect(response.status).toBe(200);
      const health = await fetch(`${url}/`, { headers: { cookie } });
      expect(health.status).toBe(503);
      expect(await health.text()).toMatch(
        /No answer within 2 s: the state store or Redis \(connection \w+\) is not answering\./,
      );
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await server.close();
      await assembled.close().catch(() => {});
      redis.disconnect();
      await runtime.close();
    }
  });
});
