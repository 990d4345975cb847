import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Mapping and classifying call string methods (charCodeAt, trim, toLowerCase) millions of times a round. V8 runs
 * them inline only while String.prototype keeps its fast layout, and a module that subclasses a built-in
 * (`class X extends String`, as ioredis 6 does for RESP3 verbatim strings) turns that prototype into a dictionary
 * for the life of the process: every such call then takes 2 to 4 times as long, and map + classify a quarter longer.
 * This loads what a round runs in, the command and the worker with every module they import, and asks V8 whether
 * the built-in prototypes are still fast.
 */
const ENTRIES = [
  'cli/main.ts',
  'cli/sync-command.ts',
  'cli/worker-command.ts',
  'cli/console-command.ts',
  'jobs/worker.ts',
];
const PROTOTYPES = [
  'String',
  'Array',
  'Object',
  'Map',
  'Set',
  'Promise',
  'Number',
  'Function',
  'RegExp',
  'Error',
  'Date',
  'Uint8Array',
];

describe('the modules a round loads', () => {
  it('leave every built-in prototype in V8 fast mode', () => {
    const script = [
      ...ENTRIES.map((entry) => `await import(${JSON.stringify(`./${entry}`)});`),
      `const names = ${JSON.stringify(PROTOTYPES)};`,
      'const slow = names.filter((name) => !%HasFastProperties(globalThis[name].prototype));',
      'console.log(JSON.stringify(slow));',
    ].join('\n');
    const out = execFileSync(
      process.execPath,
      ['--allow-natives-syntax', '--input-type=module', '-e', script],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(JSON.parse(out.trim().split('\n').at(-1) ?? '')).toEqual([]);
  });

  it('would see a subclassed String', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--allow-natives-syntax',
        '-e',
        'class Verbatim extends String {}; console.log(%HasFastProperties(String.prototype))',
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe('false');
  });
});
