#!/usr/bin/env node
// The crm-bridge command. It checks the Node.js version before it loads anything else, so that an older Node says in
// one line what crm-bridge needs instead of failing on a syntax or module error; then it runs the command line from
// the TypeScript sources in a checkout, or from the JavaScript build (dist/) in an installed package.
const NEEDED = [22, 18];
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < NEEDED[0] || (major === NEEDED[0] && minor < NEEDED[1])) {
  process.stderr.write(
    `crm-bridge needs Node.js ${NEEDED.join('.')} or newer (this is v${process.versions.node}): ` +
      'install the current LTS from https://nodejs.org/en/download (or run: nvm install --lts), then run crm-bridge again\n',
  );
  process.exitCode = 1;
} else {
  const { existsSync } = await import('node:fs');
  const sources = new URL('../cli/main.ts', import.meta.url);
  const entry = existsSync(sources) ? sources : new URL('../dist/cli/main.js', import.meta.url);
  const { main } = await import(entry.href);
  process.exitCode = await main(process.argv);
}
