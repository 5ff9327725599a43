import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { createFixedClock } from '../../src/core/clock.ts';

/** Runs the CLI in-process with captured output; `env` replaces the process environment. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  now?: string,
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (into: string[]) => ({ write: (s: string) => into.push(s) }) as unknown as NodeJS.WritableStream;
  const code = await main(['node', 'tidings', ...args], {
    env,
    stdout: stream(out),
    stderr: stream(err),
    clock: now ? createFixedClock(now) : undefined,
    stdin: Readable.from([stdin]),
  });
  return { code, out: out.join(''), err: err.join('') };
}
