import { appendFileSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../src/delivery/ledger.ts';
import {
  applyOutcomeJournal,
  FileOutcomeJournal,
  journalPathFor,
  readJournal,
} from '../../src/delivery/outcome-journal.ts';
import { sendEdition } from '../../src/delivery/send-edition.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { openDatabase } from '../../src/store/sqlite/open-database.ts';
import { SqliteLedger } from '../../src/store/sqlite/sqlite-ledger.ts';
import { baseOptions, buildDeps, EDITION, makeRecipients, tempLedger } from './support/engine-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The real SQLite ledger, except that `recordAccepted` fails like a full disk for the first `failures` calls. */
function withFullDisk(ledger: Ledger, failures: number): Ledger & { failedCalls: () => number } {
  let calls = 0;
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'failedCalls') return () => Math.min(calls, failures);
      if (property === 'recordAccepted') {
        return async (...args: Parameters<Ledger['recordAccepted']>) => {
          if (calls++ < failures) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
          return target.recordAccepted(...args);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Ledger & { failedCalls: () => number };
}

async function sinkAndTransport(): Promise<{ sink: SmtpSink; transport: SmtpTransport }> {
  const sink = await startSmtpSink();
  const transport = new SmtpTransport({
    url: sink.url,
    maxConnections: 3,
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
  return { sink, transport };
}

function copiesPerReader(sink: SmtpSink): Map<string, number> {
  const copies = new Map<string, number>();
  for (const message of sink.messages) copies.set(message.to[0]!, (copies.get(message.to[0]!) ?? 0) + 1);
  return copies;
}

describe('a 250 the store cannot record', () => {
  it('is recorded after a few retries when the store recovers', async () => {
    const { sink, transport } = await sinkAndTransport();
    const { ledger, file } = tempLedger();
    const journal = new FileOutcomeJournal(journalPathFor(file));
    const failing = withFullDisk(ledger, 3);
    const result = await sendEdition(buildDeps(failing, transport, makeRecipients(6), { journal }), baseOptions());
    expect(failing.failedCalls()).toBe(3);
    expect(result).toMatchObject({ accepted: 6, journaled: 0, fatal: null, ambiguous: [] });
    expect(await ledger.counts(EDITION)).toMatchObject({ accepted: 6, sending: 0 });
    expect(sink.messages).toHaveLength(6);
    expect(existsSync(journal.location)).toBe(false);
  });

  it('goes to the journal and stops the run; the next run applies it first and nobody gets a second copy', async () => {
    const { sink, transport } = await sinkAndTransport();
    const { ledger, file } = tempLedger();
    const journal = new FileOutcomeJournal(journalPathFor(file));
    const recipients = makeRecipients(30);
    const result = await sendEdition(
      buildDeps(withFullDisk(ledger, Infinity), transport, recipients, { journal }),
      baseOptions(),
    );

    // The run stopped at the first unrecordable 250 (plus what was in flight), with a summary, not a throw.
    expect(result.fatal).toMatchObject({ code: 'STORE_FAILED' });
    expect(result.fatal!.message).toMatch(/SQLITE_FULL|disk is full/);
    expect(result.journaled).toBeGreaterThan(0);
    expect(result.journaled).toBeLessThanOrEqual(3);
    expect(result.accepted).toBe(result.journaled);
    expect(result.ambiguous).toEqual([]); // journaled rows are accepted, not ambiguous
    expect(sink.messages).toHaveLength(result.journaled);
    const entries = readJournal(journal.location);
    expect(entries).toHaveLength(result.journaled);
    expect(entries[0]).toMatchObject({
      kind: 'accepted',
      editionId: EDITION,
      record: { response: expect.stringMatching(/^250/) },
    });
    expect(await ledger.counts(EDITION)).toMatchObject({ sending: result.journaled, accepted: 0 });

    // The next run on the real SQLite file: apply the journal first, then send the rest.
    const reopened = new SqliteLedger(openDatabase(file));
    expect(await applyOutcomeJournal(journal.location, reopened)).toBe(result.journaled);
    expect(existsSync(journal.location)).toBe(false);
    expect(await reopened.counts(EDITION)).toMatchObject({ accepted: result.journaled, sending: 0 });
    expect(await applyOutcomeJournal(journal.location, reopened)).toBe(0);

    const rest = await sendEdition(buildDeps(reopened, transport, recipients, { journal }), baseOptions());
    expect(rest).toMatchObject({ accepted: 30 - result.journaled, fatal: null, ambiguous: [] });
    const copies = copiesPerReader(sink);
    expect(copies.size).toBe(30);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
  });

  it('without a usable journal leaves the row ambiguous, named in the result', async () => {
    const { transport } = await sinkAndTransport();
    const { ledger } = tempLedger();
    const journal = new FileOutcomeJournal(
      path.join(mkdtempSync(path.join(os.tmpdir(), 'tidings-')), 'missing', 'journal.jsonl'),
    );
    const result = await sendEdition(
      buildDeps(withFullDisk(ledger, Infinity), transport, makeRecipients(5), { journal }),
      baseOptions({ maxConnections: 1 }),
    );
    expect(result).toMatchObject({ accepted: 0, journaled: 0, fatal: { code: 'STORE_FAILED' } });
    expect(result.ambiguous.map((row) => row.subscriberId)).toEqual([1]);
    expect(await ledger.counts(EDITION)).toMatchObject({ sending: 1, pending: 4 });
  });

  it('keeps a journal the store still cannot take, and ignores a torn last line', async () => {
    const { ledger, file } = tempLedger();
    const journal = new FileOutcomeJournal(journalPathFor(file));
    await ledger.ensurePending(EDITION, [1]);
    await ledger.claim(EDITION, 1, new Date('2026-11-28T06:00:00Z'));
    await journal.append({
      kind: 'accepted',
      editionId: EDITION,
      subscriberId: 1,
      at: '2026-11-28T06:00:01.000Z',
      record: { messageId: '<m1@x>', response: '250 ok', segment: 's', articleIds: ['a1'] },
    });
    appendFileSync(journal.location, '{"kind":"acc'); // a crash mid-append: never acknowledged
    await expect(applyOutcomeJournal(journal.location, withFullDisk(ledger, Infinity))).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    expect(existsSync(`${journal.location}.applying`)).toBe(true);
    expect(await applyOutcomeJournal(journal.location, ledger)).toBe(1);
    expect(await ledger.list(EDITION)).toMatchObject([{ status: 'accepted', messageId: '<m1@x>' }]);
    expect(existsSync(`${journal.location}.applying`)).toBe(false);
  });
});
