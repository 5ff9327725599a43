import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/delivery/ledger.ts';
import { sendEdition } from '../../src/delivery/send-edition.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { baseOptions, buildDeps, EDITION, makeRecipients, tempLedger } from './support/engine-fixture.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The real SQLite ledger whose `recordAccepted` always fails like a full disk. */
function acceptedNeverRecorded(ledger: Ledger): Ledger {
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'recordAccepted')
        return async () => {
          throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('an accepted outcome committed with the next claim (SQLite)', () => {
  it('puts the row claimed meanwhile back to pending when the outcome cannot be recorded', async () => {
    const sink = await startSmtpSink();
    const transport = new SmtpTransport({
      url: sink.url,
      maxConnections: 1,
      maxMessages: 50,
      rateLimit: 1000,
      tls: { rejectUnauthorized: false },
      connectionTimeoutMs: 2000,
      greetingTimeoutMs: 2000,
      socketTimeoutMs: 2000,
    });
    cleanups.push(
      () => sink.close(),
      () => transport.close(),
    );
    const { ledger } = tempLedger();
    expect(ledger.commitsInOrder).toBe(true);
    const result = await sendEdition(
      buildDeps(acceptedNeverRecorded(ledger), transport, makeRecipients(4)),
      baseOptions({ maxConnections: 1 }),
    );

    // The server took the first message; its outcome is nowhere, so the run stops with that row ambiguous.
    expect(result.fatal?.code).toBe('STORE_FAILED');
    expect(sink.messages.map((m) => m.to[0])).toEqual(['reader1@example.test']);
    expect(result.ambiguous.map((row) => row.subscriberId)).toEqual([1]);
    // The second reader's row, claimed in the same commit as that outcome, was never sent: pending, not ambiguous.
    expect(await ledger.counts(EDITION)).toMatchObject({ sending: 1, pending: 3, accepted: 0 });
  });
});
