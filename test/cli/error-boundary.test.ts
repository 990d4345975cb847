import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStyle, reportFailure } from '../../cli/errors.ts';
import { main } from '../../cli/main.ts';
import { captureOutput } from '../../cli/output.ts';
import { sandboxEnv } from '../../sandboxes/env.ts';
import { HubSpotSandbox } from '../../sandboxes/hubspot/index.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../sandboxes/salesforce/index.ts';
import { ConnectorFailure } from '../../src/connector/errors.ts';

/** Every failure ends in one or two lines saying what happened and what to do; a stack only when asked for. */
describe('the error boundary', () => {
  it('says an unexpected error in one line, with what to do, and no stack unless asked', () => {
    const error = new TypeError(
      'cannot read properties of undefined (reading "x")\n    at somewhere (file.ts:1:1)',
    );
    const plain = captureOutput();
    expect(reportFailure(error, { json: false, debug: false }, plain)).toBe(1);
    expect(plain.stderr.trim().split('\n')).toEqual([
      'crm-bridge: unexpected error: cannot read properties of undefined (reading "x")',
      'this is a fault in crm-bridge: run again with --debug (or CRM_BRIDGE_DEBUG=1) and report what it prints',
    ]);
    expect(plain.stdout).toBe('');

    const debug = captureOutput();
    reportFailure(error, { json: false, debug: true }, debug);
    expect(debug.stderr).toContain('TypeError: cannot read properties of undefined');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('gives a failure as one JSON object on stdout with --json', () => {
    const output = captureOutput();
    const failure = new ConnectorFailure({ kind: 'rate-limited', message: 'daily limit reached' });
    expect(reportFailure(failure, { json: true, debug: false }, output)).toBe(1);
    expect(JSON.parse(output.stdout)).toEqual({
      error: {
        kind: 'rate-limited',
        message: 'rate-limited: daily limit reached',
        hint: 'the CRM’s API limit was reached: run again once it has reset',
      },
    });
    expect(output.stderr).toBe('');
  });

  it('reads --json, --debug and CRM_BRIDGE_DEBUG from the command line and the environment', () => {
    expect(errorStyle(['node', 'crm-bridge', 'check', '--json'], {})).toEqual({ json: true, debug: false });
    expect(errorStyle(['node', 'crm-bridge', 'check'], { CRM_BRIDGE_DEBUG: '1' })).toEqual({
      json: false,
      debug: true,
    });
    expect(errorStyle(['node', 'crm-bridge', '--debug', 'check'], {}).debug).toBe(true);
  });

  describe('explain of a CRM record with a refused token', () => {
    let sf: SalesforceSandbox;
    let hs: HubSpotSandbox;
    let saved: NodeJS.ProcessEnv;
    beforeAll(async () => {
      sf = await startSalesforceSandbox({ seed: 3 });
      hs = await HubSpotSandbox.start({ seed: 3 });
      saved = { ...process.env };
      Object.assign(process.env, sandboxEnv(sf, hs), { HUBSPOT_ACCESS_TOKEN: 'pat-refused-token-123' });
    });
    afterAll(async () => {
      process.env = saved;
      await sf.close();
      await hs.close();
    });

    const explain = async (...extra: string[]) => {
      const output = captureOutput();
      const code = await main(
        ['node', 'crm-bridge', 'explain', 'hs:contacts:2001', '--config', 'config/example.yaml', ...extra],
        output,
      );
      return { code, ...output };
    };

    it('ends in two lines naming the refusal and what to do, never the token or a stack', async () => {
      const ran = await explain();
      expect(ran.code).toBe(1);
      const lines = ran.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(lines[0]).toMatch(/^crm-bridge: auth/);
      expect(ran.stderr).toContain('check the connection’s credentials');
      expect(ran.stderr).not.toContain('pat-refused-token-123');
      expect(ran.stderr).not.toMatch(/\n\s+at /);
    });

    it('with --json, says it as JSON on stdout', async () => {
      const ran = await explain('--json');
      expect(ran.code).toBe(1);
      const parsed = JSON.parse(ran.stdout) as { error: { kind: string } };
      expect(parsed.error.kind).toBe('auth');
      expect(ran.stdout).not.toContain('pat-refused-token-123');
    });

    it('with --debug, adds the stack', async () => {
      const ran = await explain('--debug');
      expect(ran.code).toBe(1);
      expect(ran.stderr).toMatch(/\n\s+at /);
    });
  });
});
