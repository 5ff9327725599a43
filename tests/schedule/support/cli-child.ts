import { spawn, type ChildProcess } from 'node:child_process';
import { tidingsProcessArgs } from '../../helpers/cli-process.ts';

/** A CLI command running as its own process (from the sources), with its output so far. */
export interface CliChild {
  process: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Polls `condition` until it holds; rejects with the output so far after `timeoutMs` or when the process exits first. */
  waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export function spawnCliChild(args: string[], env: Record<string, string>): CliChild {
  const child = spawn(process.execPath, tidingsProcessArgs(...args), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const handle: CliChild = {
    process: child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    async waitFor(what, condition, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await condition()) return;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`,
          );
        }
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
  return handle;
}

/** The address `tidings start` printed once it listens; null before. */
export function listeningAddress(stdout: string): string | null {
  return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? null;
}
