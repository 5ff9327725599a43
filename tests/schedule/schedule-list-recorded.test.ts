import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs `list` until `done(out)` holds (the scheduler process starts at its own pace); gives up after many tries. */
async function listUntil(list: () => Promise<string>, done: (out: string) => boolean): Promise<string> {
  let out = '';
  for (let i = 0; i < 600 && !done(out); i++) {
    out = await list();
    if (!done(out)) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return out;
}

describe('tidings schedule --list shows the configuration the scheduler runs', () => {
  const tempDir = useTempDir('tidings-sched-list-');

  it("reads what the running scheduler recorded, not this shell's environment; without a record it says it shows the local config", async () => {
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ann@example.org'] });
    // The schedule comes from the environment, with a default for shells that do not set it.
    writeFileSync(
      ws.configFile,
      readFileSync(ws.configFile, 'utf8').replace(
        '    timezone: UTC\n',
        '    timezone: UTC\n    schedule: "${DIGEST_CRON:-0 7 * * *}"\n',
      ),
    );
    const list = async () =>
      (await runCli(['-q', '-c', ws.configFile, 'schedule', '--list'], { SMTP_URL: 'smtp://127.0.0.1:9' })).out;

    const before = await list();
    expect(before).toContain(
      `no scheduler has recorded its configuration in this store yet; showing ${ws.configFile} as read here`,
    );
    expect(before).toContain('daily: "0 7 * * *" in UTC');

    const child = spawn(process.execPath, tidingsProcessArgs('-c', ws.configFile, 'schedule'), {
      env: { ...process.env, SMTP_URL: 'smtp://127.0.0.1:9', DIGEST_CRON: '30 6 * * 1-5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const running = await listUntil(list, (out) => out.includes('as recorded by the running scheduler'));
    expect(running).toMatch(/scheduler: running \(/);
    expect(running).toContain('daily: "30 6 * * 1-5" in UTC');
    expect(running).not.toContain('"0 7 * * *"');

    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    const after = await list();
    expect(after).toContain('as recorded by the last scheduler (not running now)');
    expect(after).toContain('daily: "30 6 * * 1-5" in UTC');
  }, 120_000);
});
