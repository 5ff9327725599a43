#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader so the project needs no build step.
import { register } from 'tsx/esm/api';

// `tidings status | head -1`: the reader went away; stop quietly like other CLI tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
