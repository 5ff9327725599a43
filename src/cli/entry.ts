/**
 * The process entry: `bin/tidings.js` runs the compiled copy (dist/cli/entry.js); tests
 * that spawn the CLI run this file through tsx, so they always test the sources.
 */
import { main } from './main.ts';

// `tidings status | head -1`: the reader went away; stop quietly like other CLI tools.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv);
// The command is done and has recorded its outcome. A connection it abandoned (a mail
// server that never answered, past shutdownTimeout) must not keep the process alive.
setTimeout(() => process.exit(), 2_000).unref();
