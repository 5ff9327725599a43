import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sendEdition } from '../../src/delivery/send-edition.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { baseOptions, buildDeps, EDITION, makeRecipients, tempLedger } from './support/engine-fixture.ts';
import { startFaultySmtpServer, type FaultContext, type MessageFault } from './support/faulty-smtp-server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** One conformance suite for every SMTP client: the built-in one with and without PIPELINING, and nodemailer's. */
const CLIENTS = [
  { name: 'built-in client, pipelined', client: 'builtin', pipelining: true },
  { name: 'built-in client, one command at a time', client: 'builtin', pipelining: false },
  { name: 'nodemailer client', client: 'nodemailer', pipelining: true },
] as const;

describe.each(CLIENTS)('$name', ({ client, pipelining }) => {
  async function serverAndTransport(
    decide: (context: FaultContext) => MessageFault,
    socketTimeoutMs = 2000,
    signed = false,
  ) {
    const server = await startFaultySmtpServer(decide, { pipelining });
    // A signed message is a new buffer: the end of DATA must still be seen for it.
    const dkim = signed
      ? {
          domain: 'digest.example.test',
          selector: 's1',
          privateKey: generateKeyPairSync('rsa', { modulusLength: 1024 })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        }
      : undefined;
    const transport = new SmtpTransport({
      url: server.url,
      client,
      maxConnections: 2,
      maxMessages: 50,
      rateLimit: 1000,
      tls: { rejectUnauthorized: false },
      dkim,
      connectionTimeoutMs: 2000,
      greetingTimeoutMs: 2000,
      socketTimeoutMs,
    });
    cleanups.push(
      () => server.close(),
      () => transport.close(),
    );
    return { server, transport };
  }

  const READER3 = 'reader3@example.test';

  describe('sendEdition against a server that misbehaves at the end of DATA', () => {
    it.each([false, true])(
      'retries a connection cut after the DATA command, before the body: the server cannot have the message (DKIM: %s)',
      async (signed) => {
        const { server, transport } = await serverAndTransport(
          ({ to, attempt }) => (to[0] === READER3 && attempt === 1 ? 'drop-before-body' : 'accept'),
          2000,
          signed,
        );
        const { ledger } = tempLedger();
        const result = await sendEdition(
          buildDeps(ledger, transport, makeRecipients(5)),
          baseOptions({ maxConnections: 2 }),
        );
        expect(result).toMatchObject({ accepted: 5, failed: 0, ambiguousThisRun: 0, ambiguous: [] });
        expect(server.begun()).toBe(6);
        expect(server.copiesFor(READER3)).toBe(1);
        expect(await ledger.counts(EDITION)).toMatchObject({ accepted: 5, sending: 0 });
      },
    );

    it.each([false, true])(
      'leaves the row ambiguous and never retries it when the reply after the final dot is lost (DKIM: %s)',
      async (signed) => {
        const { server, transport } = await serverAndTransport(
          ({ to }) => (to[0] === READER3 ? 'drop-after-dot' : 'accept'),
          2000,
          signed,
        );
        const { ledger } = tempLedger();
        const result = await sendEdition(
          buildDeps(ledger, transport, makeRecipients(5)),
          baseOptions({ maxConnections: 2 }),
        );
        expect(result).toMatchObject({ accepted: 4, failed: 0, ambiguousThisRun: 1 });
        expect(result.ambiguous.map((row) => row.subscriberId)).toEqual([3]);
        // One DATA for reader 3, and the server kept it: a retry would have been a second copy.
        expect(server.copiesFor(READER3)).toBe(1);
        expect(server.begun()).toBe(5);
        const [row] = await ledger.list(EDITION, 'sending');
        expect(row).toMatchObject({ subscriberId: 3, errorCode: 'TRANSPORT_AMBIGUOUS', attempts: 1 });
        expect(row!.response).toMatch(/no reply after the end of DATA/);

        // A rerun does not resend it either.
        const rerun = await sendEdition(
          buildDeps(ledger, transport, makeRecipients(5)),
          baseOptions({ maxConnections: 2 }),
        );
        expect(rerun).toMatchObject({ accepted: 0, alreadyDone: 5 });
        expect(rerun.ambiguous.map((r) => r.subscriberId)).toEqual([3]);
        expect(server.copiesFor(READER3)).toBe(1);
      },
    );

    it('leaves the row ambiguous when the server falls silent after DATA, within socketTimeout, without retrying', async () => {
      const { server, transport } = await serverAndTransport(
        ({ to }) => (to[0] === READER3 ? 'silent' : 'accept'),
        300,
      );
      const { ledger } = tempLedger();
      const result = await sendEdition(
        buildDeps(ledger, transport, makeRecipients(6)),
        baseOptions({ maxConnections: 2 }),
      );
      expect(result).toMatchObject({ accepted: 5, failed: 0, ambiguousThisRun: 1 });
      expect(result.ambiguous.map((row) => row.subscriberId)).toEqual([3]);
      expect(server.copiesFor(READER3)).toBe(1);
      expect(server.begun()).toBe(6);
      expect((await ledger.list(EDITION, 'sending'))[0]?.response).toMatch(/ETIMEDOUT/);
    });

    it('waits for a slow server that answers within socketTimeout', async () => {
      const { server, transport } = await serverAndTransport(() => ({ delayMs: 250 }), 1500);
      const { ledger } = tempLedger();
      const result = await sendEdition(
        buildDeps(ledger, transport, makeRecipients(4)),
        baseOptions({ maxConnections: 2 }),
      );
      expect(result).toMatchObject({ accepted: 4, failed: 0, ambiguous: [] });
      expect(server.messages).toHaveLength(4);
    });

    it('still retries a clear 4xx reply after the final dot and records a 5xx as permanent', async () => {
      const { server, transport } = await serverAndTransport(({ to, attempt }) =>
        to[0] === READER3 && attempt === 1
          ? { code: 451, text: '4.3.0 queue full' }
          : to[0] === 'reader4@example.test'
            ? { code: 554, text: '5.7.1 rejected' }
            : 'accept',
      );
      const { ledger } = tempLedger();
      const result = await sendEdition(
        buildDeps(ledger, transport, makeRecipients(5)),
        baseOptions({ maxConnections: 2 }),
      );
      expect(result).toMatchObject({ accepted: 4, failed: 1, ambiguous: [] });
      expect(server.copiesFor(READER3)).toBe(1);
    });
  });
});
