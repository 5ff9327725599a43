import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runDeliveries, runStatus } from '../../src/cli/commands/status.ts';
import { assertNotTooLate } from '../../src/delivery/late-run.ts';
import { createProgressReporter, formatProgressBar } from '../../src/delivery/progress-reporter.ts';
import { computeBackoff } from '../../src/delivery/send-edition.ts';
import { summarizeSendResult } from '../../src/delivery/send-summary.ts';
import type { SendProgress, SendResult } from '../../src/delivery/send-types.ts';
import { TokenBucket } from '../../src/delivery/token-bucket.ts';
import { classifySmtpError } from '../../src/delivery/transport-error.ts';
import { tempLedger } from './support/engine-fixture.ts';

const progress: SendProgress = {
  accepted: 40,
  failed: 2,
  skipped: 8,
  alreadyDone: 0,
  handled: 50,
  total: 200,
  rate: 10,
  elapsedMs: 5000,
};

describe('classifySmtpError', () => {
  it('maps replies and connection errors onto temporary, throttled and permanent', () => {
    expect(classifySmtpError({ responseCode: 451, response: '451 4.3.0 try later', command: 'DATA' })).toMatchObject({
      code: 'TRANSPORT_TEMPORARY',
      retryable: true,
      responseCode: 451,
    });
    expect(classifySmtpError({ responseCode: 421, response: '421 4.7.0 Too many connections' }).code).toBe(
      'TRANSPORT_THROTTLED',
    );
    expect(classifySmtpError({ responseCode: 452, response: '452 4.5.3 rate limit exceeded' }).code).toBe(
      'TRANSPORT_THROTTLED',
    );
    expect(classifySmtpError({ responseCode: 452, response: '452 4.2.2 mailbox full' }).code).toBe(
      'TRANSPORT_TEMPORARY',
    );
    expect(classifySmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' })).toMatchObject({
      code: 'TRANSPORT_TEMPORARY',
      responseCode: null,
    });
    const rcpt = classifySmtpError({
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 5.1.1 unknown user',
      command: 'RCPT TO',
    });
    expect(rcpt).toMatchObject({
      code: 'TRANSPORT_PERMANENT',
      retryable: false,
      recipientRejected: true,
      response: '550 5.1.1 unknown user',
    });
    expect(
      classifySmtpError({ code: 'EMESSAGE', responseCode: 554, response: '554 spam', command: 'DATA' })
        .recipientRejected,
    ).toBe(false);
  });
});

describe('backoff and rate', () => {
  it('doubles up to the maximum with equal jitter', () => {
    expect([1, 2, 3, 10].map((n) => computeBackoff(n, 1000, 60_000, 0))).toEqual([500, 1000, 2000, 30_000]);
    expect(computeBackoff(3, 1000, 60_000, 0.999)).toBeLessThanOrEqual(4000);
  });

  it('a token bucket paces sends and slows down when throttled', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket({
      ratePerSecond: 10,
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
      coolDownMs: 5000,
    });
    for (let i = 0; i < 12; i++) await bucket.take();
    expect(waits.length).toBe(2); // a burst of 10, then 100 ms per token
    bucket.slowDown();
    expect(bucket.currentRate).toBe(5);
    now += 6000;
    await bucket.take();
    expect(bucket.currentRate).toBe(10);
  });
});

describe('progress', () => {
  it('draws a bar with rate and ETA on a terminal', () => {
    expect(formatProgressBar(progress, 120)).toMatch(
      /^\[#+-+\] 50\/200 25% · 10\.0 msg\/s · ETA 00:15 · 40 accepted, 2 failed, 8 skipped$/,
    );
  });

  it('writes JSON lines when not a terminal, throttled, with a final line', () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c) => (text += c));
    let now = 0;
    const reporter = createProgressReporter({ stream, now: () => now, intervalMs: 1000, editionId: 'm/1' });
    reporter.update(progress);
    now = 500;
    reporter.update(progress);
    reporter.finish({ ...progress, handled: 200 });
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ event: 'send.progress', edition: 'm/1', accepted: 40, rate: 10, etaSeconds: 15 });
    expect(lines[1]).toMatchObject({ event: 'send.done', etaSeconds: 0 });
  });
});

describe('send summary and late runs', () => {
  const base: SendResult = {
    editionId: 'm/1',
    dryRun: false,
    accepted: 3,
    failed: 0,
    skipped: 0,
    skippedReaders: [],
    alreadyDone: 0,
    wouldSend: 0,
    requeuedFailures: 0,
    ambiguousResent: 0,
    ambiguous: [],
    ambiguousThisRun: 0,
    journaled: 0,
    journalLocation: null,
    fatal: null,
    segmentsRendered: 1,
    paused: false,
    pauseReason: null,
    stopped: false,
    limitReached: false,
    elapsedMs: 1,
    rate: 1,
  };
  it('exits 1 on a pause and says how to resume', () => {
    const { exitCode, lines } = summarizeSendResult(
      { ...base, paused: true, pauseReason: '20 failures in a row' },
      'tidings send m --at X',
    );
    expect(exitCode).toBe(1);
    expect(lines.join('\n')).toMatch(/paused: 20 failures in a row.*resume with: tidings send m --at X/);
    expect(summarizeSendResult(base, 'x').exitCode).toBe(0);
  });

  it('exits 1 with the rerun hint when ambiguous rows remain, 1 with the summary after a fatal error, 130 on a signal', () => {
    const row = {
      editionId: 'm/1',
      subscriberId: 7,
      email: 'r7@example.org',
      status: 'sending' as const,
      segment: null,
      attempts: 1,
      claimedAt: null,
      finishedAt: null,
      messageId: null,
      response: null,
      errorCode: 'TRANSPORT_AMBIGUOUS',
      reason: null,
      retryable: false,
    };
    const ambiguous = summarizeSendResult({ ...base, ambiguous: [row], ambiguousThisRun: 1 }, 'tidings send m --at X');
    expect(ambiguous.exitCode).toBe(1);
    expect(ambiguous.lines.join('\n')).toMatch(
      /1 ambiguous deliveries .*r7@example\.org.*tidings send m --at X --resend-ambiguous/,
    );
    const fatal = summarizeSendResult(
      {
        ...base,
        ambiguous: [row],
        journaled: 2,
        journalLocation: 'data/t.db.outcomes.jsonl',
        fatal: { code: 'STORE_FAILED', message: 'SQLITE_FULL: database or disk is full' },
      },
      'x',
    );
    expect(fatal.exitCode).toBe(1);
    const text = fatal.lines.join('\n');
    expect(text).toMatch(/^m\/1: 3 accepted/);
    expect(text).toContain('2 outcomes the store could not record are kept in data/t.db.outcomes.jsonl');
    expect(text).toContain('r7@example.org');
    expect(text).toContain('Sending stopped by an error: [STORE_FAILED] SQLITE_FULL: database or disk is full');
    expect(summarizeSendResult({ ...base, ambiguous: [row], stopped: true }, 'x').exitCode).toBe(130);
  });

  it('refuses a slot older than maxLateness unless forced', () => {
    const slot = new Date('2026-11-28T07:00:00Z');
    const args = { editionId: 'm/1', slot, maxLatenessMs: 6 * 3_600_000, force: false };
    expect(() => assertNotTooLate({ ...args, now: new Date('2026-11-28T12:00:00Z') })).not.toThrow();
    expect(() => assertNotTooLate({ ...args, now: new Date('2026-11-28T14:00:00Z') })).toThrow(
      /7\.0h in the past.*--force/,
    );
    expect(() => assertNotTooLate({ ...args, now: new Date('2026-11-28T14:00:00Z'), force: true })).not.toThrow();
  });
});

describe('status and deliveries commands', () => {
  it('prints counts, ambiguous rows and last errors, as a table and as JSON', async () => {
    const { ledger } = tempLedger();
    const E = 'morning/2026-11-28T07:00:00Z';
    await ledger.ensurePending(E, [1, 2, 3, 4]);
    for (const id of [1, 2, 3]) await ledger.claim(E, id, new Date('2026-11-28T07:00:01Z'));
    await ledger.recordAccepted(E, 1, new Date('2026-11-28T07:00:02Z'), {
      messageId: '<a@x>',
      response: '250 ok',
      segment: 's',
      articleIds: [],
    });
    await ledger.recordFailed(E, 2, new Date('2026-11-28T07:00:03Z'), {
      code: 'TRANSPORT_PERMANENT',
      text: '550 5.1.1\nunknown user',
      retryable: false,
      attempts: 1,
    });
    let out = '';
    let err = '';
    const ctx = { ledger, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };

    expect(await runStatus(ctx, { json: false })).toBe(0);
    // Without an edition store, an edition known only to the ledger shows "-" as its status.
    expect(out).toMatch(/edition\s+status\s+accepted\s+failed\s+ambiguous\s+skipped\s+pending\s+in flight\s+total/);
    expect(out).toMatch(/morning\/2026-11-28T07:00:00Z\s+-\s+1\s+1\s+1\s+0\s+1\s+0\s+4/);
    expect(out).toContain('1 ambiguous');
    expect(out).toContain('--resend-ambiguous');
    expect(out).toContain('TRANSPORT_PERMANENT  550 5.1.1 unknown user');

    out = '';
    expect(await runStatus(ctx, { newsletter: 'morning', json: true })).toBe(0);
    const json = JSON.parse(out);
    expect(json.editions[0]).toMatchObject({ edition: E, accepted: 1, failed: 1, pending: 1, ambiguous: 1, total: 4 });

    out = '';
    expect(await runDeliveries(ctx, { edition: E, status: 'failed', json: false })).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(out).toContain('550 5.1.1 unknown user');
    expect(await runDeliveries(ctx, { edition: E, status: 'bogus', json: false })).toBe(2);
    expect(err).toContain('--status must be one of');
  });
});
