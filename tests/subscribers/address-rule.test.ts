import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { createMessageBuilder } from '../../src/delivery/message-builder.ts';
import { normalizeEmailAddress } from '../../src/subscribers/email-address.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from '../delivery/support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';

/**
 * One table of addresses, run through every path that meets an address: the rule itself,
 * `subscribers validate`, `subscribers sync`, the message builder of a send, a send that
 * finds a refused address already in the store, and `send --test`. Each path must agree.
 */
const ADDRESSES: { input: string; canonical?: string; refused?: string }[] = [
  { input: 'ann.lee@example.org', canonical: 'ann.lee@example.org' },
  { input: 'Zoe@Bücher.example', canonical: 'zoe@xn--bcher-kva.example' },
  { input: "o'brien+news@example.com", canonical: "o'brien+news@example.com" },
  { input: '"john doe"@example.com', refused: 'quoted local parts' },
  { input: '"a@b"@example.org', refused: 'quoted local parts' },
  { input: 'user@[192.0.2.1]', refused: 'address literals' },
  { input: 'user@192.0.2.1', refused: 'not a valid domain' },
  { input: 'ann..lee@example.org', refused: 'not a valid local part' },
  { input: 'иван@пример.рф', refused: 'not a valid local part' },
];
/** smtp-server shows an IDN domain in Unicode: compare canonical forms. */
const canonicalOf = (address: string) => {
  const check = normalizeEmailAddress(address);
  return check.ok ? check.address : address;
};
const ACCEPTED = ADDRESSES.filter((a) => a.canonical);
const REFUSED = ADDRESSES.filter((a) => a.refused);

const T1 = '2026-03-02T07:00:00Z';
const NOW = '2026-03-02T07:01:00Z';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

describe('one address rule for validate, sync, send and send --test', () => {
  const tempDir = useTempDir('tidings-address-');

  it.each(ADDRESSES)('the rule: $input', ({ input, canonical, refused }) => {
    const check = normalizeEmailAddress(input);
    if (canonical) expect(check).toEqual({ ok: true, address: canonical });
    else expect(check.ok ? 'accepted' : check.reason).toContain(refused!);
  });

  it('validate and sync refuse exactly the addresses the rule refuses, each with its reason', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: [] });
    const list = ADDRESSES.map(({ input }) => `  - email: ${JSON.stringify(input)}\n    newsletters: [daily]\n`).join(
      '',
    );
    writeFileSync(path.join(ws.dir, 'subscribers', 'list.yaml'), `subscribers:\n${list}`);
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: NOW });

    const validate = await cli(['subscribers', 'validate']);
    expect(validate.code).toBe(1);
    const errors = validate.err.trim().split('\n');
    expect(errors).toHaveLength(REFUSED.length);
    REFUSED.forEach(({ refused }, i) => {
      expect(errors[i]).toContain(refused!);
    });

    const sync = await cli(['subscribers', 'sync', '--skip-invalid']);
    expect(sync.code, sync.err).toBe(0);
    const stored = JSON.parse((await cli(['subscribers', 'list', '--json'])).out) as { email: string }[];
    expect(stored.map((s) => s.email).sort()).toEqual(ACCEPTED.map((a) => a.canonical).sort());
  });

  it('the message builder of a send accepts and refuses the same addresses, with the same reasons', () => {
    const build = createMessageBuilder({
      from: 'Digest <digest@news.example.org>',
      newsletterId: 'daily',
      newsletterTitle: 'Daily',
      clock: createFixedClock(NOW),
    });
    const message = (email: string) => () =>
      build({
        editionId: 'daily/2026-03-02T07:00',
        recipient: { id: 1, email, name: null },
        content: { subject: 'Hello', html: '<p>hi</p>', text: 'hi' },
        urls: {
          unsubscribeUrl: 'https://news.example.org/u/x',
          preferencesUrl: 'https://news.example.org/p/x',
          viewUrl: 'https://news.example.org/e/x',
        },
      });
    for (const { canonical } of ACCEPTED) expect(message(canonical!)().envelope.to).toBe(canonical);
    for (const { input, refused } of REFUSED) expect(message(input)).toThrow(refused);
  });

  it('a refused address already in the store is recorded as failed with the reason; the others are sent', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: ACCEPTED.map((a) => a.input) });
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: NOW });
    ws.addArticles(T1);
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);
    // Stored before the rule was tightened: written straight into the SQLite file.
    const db = new Database(path.join(ws.dir, 'data', 'tidings.db'));
    for (const { input } of REFUSED) {
      const id = db
        .prepare(`INSERT INTO subscribers (email, created_at, updated_at) VALUES (?, ?, ?)`)
        .run(input.toLowerCase(), NOW, NOW).lastInsertRowid;
      db.prepare(`INSERT INTO subscriptions (subscriber_id, newsletter_id, updated_at) VALUES (?, 'daily', ?)`).run(
        id,
        NOW,
      );
    }
    db.close();

    const send = await cli(['send', 'daily', '--at', T1]);
    expect(send.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(send.out).toMatch(new RegExp(`${ACCEPTED.length} accepted, ${REFUSED.length} failed`));
    expect(sink.messages.flatMap((m) => m.to.map(canonicalOf)).sort()).toEqual(ACCEPTED.map((a) => a.canonical).sort());
    const deliveries = JSON.parse(
      (await cli(['deliveries', 'daily/2026-03-02T07:00', '--status', 'failed', '--json'])).out,
    ) as {
      deliveries: { email: string; errorCode: string; response: string }[];
    };
    expect(deliveries.deliveries).toHaveLength(REFUSED.length);
    for (const { input, refused } of REFUSED) {
      const row = deliveries.deliveries.find((d) => d.email === input.toLowerCase())!;
      expect(row.errorCode).toBe('INPUT_INVALID');
      expect(row.response).toContain(refused!);
    }
  });

  it('send --test refuses the same addresses with exit 2 and the reason', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ann@example.org'] });
    ws.addArticles(T1);
    expect((await ws.cli(['ingest'], { smtpUrl: sink.url, now: NOW })).code).toBe(0);
    for (const { input, refused } of REFUSED) {
      const result = await ws.cli(['send', 'daily', '--at', T1, '--test', input], { smtpUrl: sink.url, now: NOW });
      expect(result.code).toBe(2);
      expect(result.err).toContain(refused!);
    }
    const accepted = await ws.cli(['send', 'daily', '--at', T1, '--test', ACCEPTED[1]!.input], {
      smtpUrl: sink.url,
      now: NOW,
    });
    expect(accepted.code, accepted.err).toBe(0);
    expect(sink.messages.map((m) => canonicalOf(m.to[0]!))).toEqual([ACCEPTED[1]!.canonical]);
  });
});
