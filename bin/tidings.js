#!/usr/bin/env node
// Runs the compiled CLI (dist/bundle/, built by `npm run build`, which `npm install` runs
// through `prepare`; see scripts/build.mjs). Compiled JavaScript starts in a fraction of
// the time tsx needs to compile the TypeScript sources at every start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/entry.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    `error: the compiled CLI is missing (${fileURLToPath(entry)}).\n` +
      'Run `npm run build` in the project folder (npm install and npm ci run it too), then try again.\n',
  );
  process.exit(2);
}
await import(entry.href);
