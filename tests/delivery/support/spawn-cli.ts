import { spawn } from 'node:child_process';
import { tidingsProcessArgs } from '../../helpers/cli-process.ts';

/**
 * The CLI as ops run it, in a child process (from the sources: tests/helpers/cli-process.ts); `signal` is sent once
 * `when()` turns true (polled every 5 ms). Resolves with the exit code and the output.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  stop?: { signal: NodeJS.Signals; when: () => boolean },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tidingsProcessArgs(...args), {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const watch = stop
      ? setInterval(() => {
          if (!stop.when()) return;
          clearInterval(watch);
          child.kill(stop.signal);
        }, 5)
      : undefined;
    child.on('exit', (code) => {
      clearInterval(watch);
      resolve({ code, stdout, stderr });
    });
  });
}
