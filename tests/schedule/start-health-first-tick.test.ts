import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('tidings start: /healthz before the scheduler first ticks', () => {
  const tempDir = useTempDir('tidings-start-health-');

  it('is healthy ("scheduler starting") while the subscriber sync between listening and the first tick waits', async () => {
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ann@example.org'] });
    writeFileSync(
      ws.configFile,
      readFileSync(ws.configFile, 'utf8')
        .replace('    timezone: UTC\n', '    timezone: UTC\n    schedule: "0 7 * * *"\n')
        .replace('web:\n', 'web:\n  port: 0\n'),
    );
    // The list is a named pipe: the sync that runs after the server listens (and before the
    // first tick) waits on it until the test writes, the window a busy machine opens by chance.
    const list = path.join(ws.dir, 'subscribers', 'list.yaml');
    const yaml = readFileSync(list, 'utf8');
    rmSync(list);
    execFileSync('mkfifo', [list]);
    const child = spawn(process.execPath, tidingsProcessArgs('-c', ws.configFile, 'start'), {
      env: { ...process.env, SMTP_URL: 'smtp://127.0.0.1:9' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk) => {
        stdout += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const early = await fetch(`${address}/healthz`);
    const body = await early.text();
    expect(early.status, body).toBe(200);
    expect(body).toBe('ok: store ok; scheduler starting (first tick pending)\n');

    writeFileSync(list, yaml);
    await expect
      .poll(async () => (await fetch(`${address}/healthz`)).text(), { timeout: 60_000, interval: 100 })
      .toMatch(/^ok: store ok; scheduler ticking/);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
