import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EDITION, tempLedger } from './support/engine-fixture.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const CHILD = path.resolve(import.meta.dirname, '../fixtures/delivery/send-child.ts');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function runChild(
  args: string[],
  killWhen?: () => boolean,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const watch = killWhen
      ? setInterval(() => {
          if (killWhen()) {
            clearInterval(watch);
            child.kill('SIGKILL');
          }
        }, 2)
      : undefined;
    child.on('exit', (code, signal) => {
      if (watch) clearInterval(watch);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('a sending process killed with SIGKILL', () => {
  it('loses nobody and sends nobody twice, except the reported ambiguous rows', async () => {
    const COUNT = 60;
    const sink = await startSmtpSink({ delayMs: 25 });
    cleanups.push(() => sink.close());
    const { file, ledger } = tempLedger();
    const perRecipient = () => {
      const seen = new Map<number, number>();
      for (const m of sink.messages) {
        const id = Number(/reader(\d+)@/.exec(m.to[0]!)![1]);
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
      return seen;
    };

    const killed = await runChild([file, sink.url, String(COUNT)], () => sink.messages.length >= 15);
    expect(killed.signal).toBe('SIGKILL');
    const afterCrash = await ledger.counts(EDITION);
    expect(afterCrash.accepted).toBeGreaterThan(0);
    expect(afterCrash.accepted).toBeLessThan(COUNT);
    expect(afterCrash.sending).toBeGreaterThan(0); // the kill caught messages in flight
    expect(afterCrash.sending).toBeLessThanOrEqual(4);

    const resumed = await runChild([file, sink.url, String(COUNT)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as { accepted: number; ambiguous: number[] };
    const ambiguous = new Set(report.ambiguous);
    expect(ambiguous.size).toBe(afterCrash.sending);
    expect(ambiguous.size).toBeLessThanOrEqual(4);

    const rows = await ledger.list(EDITION);
    expect(rows).toHaveLength(COUNT);
    const received = perRecipient();
    for (const row of rows) {
      if (ambiguous.has(row.subscriberId)) {
        expect(row.status).toBe('sending');
        expect(received.get(row.subscriberId) ?? 0).toBeLessThanOrEqual(1);
      } else {
        expect(row.status).toBe('accepted');
        expect(received.get(row.subscriberId)).toBe(1);
      }
    }

    // Ops decides to resend the ambiguous ones: now everyone is accepted.
    const resent = await runChild([file, sink.url, String(COUNT), '--resend-ambiguous']);
    expect(resent.code, resent.stderr).toBe(0);
    expect(JSON.parse(resent.stdout)).toMatchObject({ accepted: ambiguous.size, ambiguous: [] });
    expect(await ledger.counts(EDITION)).toMatchObject({ accepted: COUNT, sending: 0 });
    const final = perRecipient();
    for (let id = 1; id <= COUNT; id++) {
      expect(final.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      if (!ambiguous.has(id)) expect(final.get(id)).toBe(1);
    }
  }, 60_000);
});
