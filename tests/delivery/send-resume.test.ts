import { afterEach, describe, expect, it } from 'vitest';
import { sendEdition } from '../../src/delivery/send-edition.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { baseOptions, buildDeps, EDITION, makeRecipients, tempLedger } from './support/engine-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function transportFor(url: string) {
  const transport = new SmtpTransport({
    url,
    maxConnections: 3,
    maxMessages: 50,
    rateLimit: 1000,
    tls: { rejectUnauthorized: false },
    connectionTimeoutMs: 2000,
    greetingTimeoutMs: 2000,
    socketTimeoutMs: 5000,
  });
  cleanups.push(() => transport.close());
  return transport;
}

async function liveSink(behaviour: Parameters<typeof startSmtpSink>[0] = {}) {
  const sink = await startSmtpSink(behaviour);
  cleanups.push(() => sink.close());
  return sink;
}

function deliveredOnce(sink: SmtpSink, count: number): boolean {
  const seen = new Map<string, number>();
  for (const m of sink.messages) seen.set(m.to[0]!, (seen.get(m.to[0]!) ?? 0) + 1);
  return seen.size === count && [...seen.values()].every((n) => n === 1);
}

describe('pausing, stopping and resuming', () => {
  it('pauses when the server is down and a rerun finishes the list, each subscriber once', async () => {
    const dead = await startSmtpSink();
    const deadUrl = dead.url;
    await dead.close();
    const { ledger } = tempLedger();
    const recipients = makeRecipients(20);
    const paused = await sendEdition(
      buildDeps(ledger, transportFor(deadUrl), recipients),
      baseOptions({
        maxConnections: 2,
        delivery: { maxAttempts: 3, backoffInitial: 1, backoffMax: 2, maxConsecutiveFailures: 4 },
      }),
    );
    expect(paused.paused).toBe(true);
    expect(paused.pauseReason).toMatch(/4 failures in a row/);
    expect(paused.accepted).toBe(0);
    const counts = await ledger.counts(EDITION);
    expect(counts.sending).toBe(0);
    expect(counts.accepted).toBe(0);
    const failed = await ledger.list(EDITION, 'failed');
    expect(failed.every((r) => r.retryable && r.errorCode === 'TRANSPORT_TEMPORARY')).toBe(true);

    const sink = await liveSink();
    const resumed = await sendEdition(buildDeps(ledger, transportFor(sink.url), recipients), baseOptions());
    expect(resumed.requeuedFailures).toBe(failed.length);
    expect(resumed).toMatchObject({ accepted: 20, paused: false });
    expect(deliveredOnce(sink, 20)).toBe(true);
    expect(await ledger.counts(EDITION)).toMatchObject({ accepted: 20, total: 20 });
  });

  it('stops claiming on abort, records what was in flight, and a rerun sends only the rest', async () => {
    const sink = await liveSink({ delayMs: 20 });
    const transport = transportFor(sink.url);
    const { ledger } = tempLedger();
    const recipients = makeRecipients(30);
    const controller = new AbortController();
    let acceptedSoFar = 0;
    const first = await sendEdition(
      buildDeps(ledger, transport, recipients, {
        onAccepted: () => void (++acceptedSoFar === 5 && controller.abort()),
      }),
      baseOptions({ signal: controller.signal }),
    );
    expect(first.stopped).toBe(true);
    expect(first.accepted).toBeGreaterThanOrEqual(5);
    expect(first.accepted).toBeLessThanOrEqual(5 + 3);
    expect((await ledger.counts(EDITION)).sending).toBe(0);
    expect(sink.messages).toHaveLength(first.accepted);

    const second = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions());
    expect(second.accepted).toBe(30 - first.accepted);
    expect(second.alreadyDone).toBe(first.accepted);
    expect(deliveredOnce(sink, 30)).toBe(true);
  });

  it('reports rows left sending as ambiguous and resends them only when asked', async () => {
    const sink = await liveSink();
    const transport = transportFor(sink.url);
    const { ledger } = tempLedger();
    const recipients = makeRecipients(8);
    // A crash after these two claims: maybe accepted, maybe not.
    await ledger.ensurePending(EDITION, [3, 6]);
    await ledger.claim(EDITION, 3, new Date('2026-11-28T06:00:00Z'));
    await ledger.claim(EDITION, 6, new Date('2026-11-28T06:00:00Z'));

    const run = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions());
    expect(run.accepted).toBe(6);
    expect(run.ambiguous.map((r) => r.subscriberId)).toEqual([3, 6]);
    expect(sink.rcptAttempts.has('reader3@example.test')).toBe(false);

    const again = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions());
    expect(again.accepted).toBe(0);
    expect(again.ambiguous).toHaveLength(2);

    const resend = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions({ resendAmbiguous: true }));
    expect(resend).toMatchObject({ accepted: 2, ambiguousResent: 2, ambiguous: [] });
    expect(deliveredOnce(sink, 8)).toBe(true);
  });

  it('honours --limit, skips empty digests with a reason, and a dry run touches nothing', async () => {
    const sink = await liveSink();
    const transport = transportFor(sink.url);
    const { ledger } = tempLedger();
    const recipients = makeRecipients(10).map((r) => (r.id % 5 === 0 ? { ...r, segment: 'empty' } : r));

    const dry = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions({ dryRun: true }));
    expect(dry).toMatchObject({ wouldSend: 8, skipped: 2, accepted: 0 });
    expect(await ledger.counts(EDITION)).toMatchObject({ total: 0 });
    expect(sink.messages).toHaveLength(0);

    const limited = await sendEdition(
      buildDeps(ledger, transport, recipients),
      baseOptions({ limit: 4, maxConnections: 1 }),
    );
    expect(limited).toMatchObject({ accepted: 4, limitReached: true });
    expect(sink.messages).toHaveLength(4);

    const rest = await sendEdition(buildDeps(ledger, transport, recipients), baseOptions());
    expect(rest.accepted).toBe(4);
    const skipped = await ledger.list(EDITION, 'skipped');
    expect(skipped.map((r) => [r.subscriberId, r.reason])).toEqual([
      [5, 'empty digest'],
      [10, 'empty digest'],
    ]);
    expect(await ledger.counts(EDITION)).toMatchObject({ accepted: 8, skipped: 2, pending: 0 });
  });
});
