import { generateKeyPairSync } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/core/clock.ts';
import { encodeQuotedPrintablePiece } from '../../src/delivery/quoted-printable.ts';
import { createMessageBuilder, type MessageBuilderOptions } from '../../src/delivery/message-builder.ts';
import { createSegmentMessageBuilder, type SegmentMessageInput } from '../../src/delivery/segment-message-builder.ts';
import { SmtpTransport } from '../../src/delivery/smtp-transport.ts';
import { buildSubscriberUrls } from '../../src/delivery/subscriber-token.ts';
import { personalize } from '../../src/render/personalize.ts';
import type { RenderedSegment } from '../../src/render/render-types.ts';
import { EDITION } from './support/engine-fixture.ts';

const clock = createFixedClock('2026-11-28T06:30:05Z');
let counter = 0;
const options: MessageBuilderOptions = {
  from: '"Morning Digest" <news@digest.example.test>',
  newsletterId: 'morning',
  newsletterTitle: 'Morning Digest',
  unsubscribeMailto: 'unsubscribe@digest.example.test',
  clock,
  uniqueId: () => `id${++counter}`,
};

const longWord = 'x'.repeat(120);
/** A segment written to be awkward: tokens at line starts and ends, inside URLs, long lines, dots, `=`, non-ASCII. */
function awkwardSegment(htmlOneLine: boolean): RenderedSegment {
  const htmlLines = [
    '<!doctype html><html><body style="margin:0">',
    '<p>%%{name}%%</p>',
    `<p class="x" data-a="b=c">Hello %%{first_name}%%, café ✓ — ${longWord} = ${longWord}</p>`,
    '.starts with a dot',
    '<a href="https://news.example.test/go?to=%%{email}%%&amp;r=1">go</a>  two  spaces   ',
    '<a href="%%{unsubscribe_url}%%">Unsubscribe</a> · <a href="%%{preferences_url}%%">Preferences</a>',
    '%%{view_url}%%',
    '</body></html>',
  ];
  return {
    subject: 'Digest for %%{first_name}%% · Grüße',
    preheader: '',
    html: htmlLines.join(htmlOneLine ? '' : '\n'),
    text: [
      '%%{name}%%',
      'Hello %%{first_name}%%, café ✓ and a = sign',
      '.a dot at the start, then trailing spaces   ',
      `${longWord}${longWord}${longWord}`,
      'View: %%{view_url}%%',
      'Unsubscribe: %%{unsubscribe_url}%%',
      '',
    ].join('\n'),
    droppedArticleIds: [],
    nameFallback: 'there',
  };
}

const readers = [
  { id: 1, email: 'ada@example.test', name: 'Ada Lovelace', firstName: null },
  { id: 2, email: 'zoe@example.test', name: `Zoë «Ü» O'Brien, Jr. — ${'ü'.repeat(60)}`, firstName: '.Zoë' },
  { id: 3, email: 'eq@example.test', name: '=?utf-8?q?not=20a=20word?= = . =', firstName: '=3D' },
  { id: 4, email: 'dot@example.test', name: '.', firstName: '..' },
  { id: 5, email: 'long@example.test', name: null, firstName: null },
];

function inputFor(segment: RenderedSegment, reader: (typeof readers)[number]): SegmentMessageInput {
  const base = buildSubscriberUrls(
    'https://news.example.test/',
    { unsubscribe: `u${reader.id}.sig`, preferences: `p${reader.id}.sig` },
    EDITION,
  );
  // A long view URL with a query of dots and equals signs.
  const urls = { ...base, viewUrl: `${base.viewUrl}?ref=${'a.b=c&'.repeat(30)}é` };
  return {
    editionId: EDITION,
    recipient: { id: reader.id, email: reader.email, name: reader.name },
    segment,
    tokens: {
      name: reader.name ?? '',
      first_name: reader.firstName ?? '',
      email: reader.email,
      unsubscribe_url: urls.unsubscribeUrl,
      preferences_url: urls.preferencesUrl,
      view_url: urls.viewUrl,
    },
    urls,
  };
}

/** The old path: personalize whole bodies, then build with base64 parts. */
function buildWhole(input: SegmentMessageInput) {
  counter = 0;
  const content = personalize(input.segment, input.tokens);
  return createMessageBuilder(options)({
    editionId: input.editionId,
    recipient: input.recipient,
    content,
    urls: input.urls,
  });
}

const headerValues = (mail: ParsedMail) =>
  mail.headerLines
    .filter((h) => !['content-type', 'message-id'].includes(h.key))
    .map((h) => h.line.replace(/\r?\n[ \t]+/g, ' '));

function checkLines(raw: Buffer): void {
  for (const line of raw.toString('latin1').split('\r\n'))
    expect(Buffer.byteLength(line, 'latin1')).toBeLessThanOrEqual(998);
  // No bare CR or LF anywhere.
  expect(raw.toString('latin1').replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
}

describe('encodeQuotedPrintablePiece', () => {
  it('ends every piece at a line end, encodes = and dots at line starts, keeps lines at 76 characters', () => {
    const encoded = encodeQuotedPrintablePiece(`.a=b ${'é'.repeat(40)}\r\n. trailing \r\nend `);
    expect(encoded.endsWith('=\r\n')).toBe(true);
    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(encoded.startsWith('=2Ea=3Db ')).toBe(true);
    expect(encoded).toContain('\r\n=2E trailing=20\r\n');
    expect(encoded).toContain('end=20=\r\n');
    expect(encodeQuotedPrintablePiece('')).toBe('');
  });
});

describe('createSegmentMessageBuilder', () => {
  for (const [label, allow8bit, htmlOneLine] of [
    ['7-bit server, HTML in lines', false, false],
    ['8BITMIME server, HTML in lines', true, false],
    ['7-bit server, HTML on one long line', false, true],
    ['8BITMIME server, HTML on one long line', true, true],
  ] as const) {
    it(`decodes to the same HTML, text and headers as the whole-message path (${label})`, async () => {
      const segment = awkwardSegment(htmlOneLine);
      const build = createSegmentMessageBuilder({ ...options, allow8bit: () => allow8bit });
      for (const reader of readers) {
        const input = inputFor(segment, reader);
        const whole = await simpleParser(buildWhole(input).raw);
        counter = 0;
        const message = build(input);
        checkLines(message.raw);
        const spliced = await simpleParser(message.raw);
        expect(spliced.html).toBe(whole.html);
        expect(spliced.text).toBe(whole.text);
        expect(spliced.subject).toBe(whole.subject);
        expect(headerValues(spliced)).toEqual(headerValues(whole));
        if (!allow8bit) expect(/^[\x00-\x7f]*$/.test(message.raw.toString('latin1'))).toBe(true);
        const encodings = [...message.raw.toString('latin1').matchAll(/Content-Transfer-Encoding: (\S+)/g)].map(
          (m) => m[1],
        );
        // HTML on one line longer than 998 octets can only go quoted-printable; in lines it goes as it is when allowed.
        expect(encodings).toEqual([
          allow8bit ? '8bit' : 'quoted-printable',
          htmlOneLine || !allow8bit ? 'quoted-printable' : '8bit',
        ]);
        expect(message.eightBit).toBe(allow8bit);
      }
    });
  }

  it('sends a plain-ASCII segment as 7bit even to a server without 8BITMIME', async () => {
    const segment: RenderedSegment = {
      subject: 'Hi',
      preheader: '',
      html: '<p>Hello %%{name}%%</p>',
      text: 'Hello %%{name}%%\n',
      droppedArticleIds: [],
    };
    const build = createSegmentMessageBuilder({ ...options, allow8bit: () => false });
    const ascii = build(inputFor(segment, readers[0]!));
    expect(ascii.raw.toString('latin1')).toContain(
      'Content-Transfer-Encoding: 7bit\r\n\r\nHello Ada Lovelace\r\n\r\n--',
    );
    expect(ascii.eightBit).toBe(false);
    // A non-ASCII name makes the part quoted-printable: the message stays 7-bit.
    const accented = build(inputFor(segment, readers[1]!));
    expect((await simpleParser(accented.raw)).text).toBe(`Hello ${readers[1]!.name}\n`);
    expect(/^[\x00-\x7f]*$/.test(accented.raw.toString('latin1'))).toBe(true);
  });
});

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dnsKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const resolver = async (name: string, type: string) => {
  if (type === 'TXT' && name === 'tid1._domainkey.digest.example.test') return [[`v=DKIM1; k=rsa; p=${dnsKey}`]];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};

interface Received {
  raw: Buffer;
  bodyType: string | undefined;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A real smtp-server on 127.0.0.1 that advertises 8BITMIME or not. */
async function startServer(hide8BITMIME: boolean): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    hide8BITMIME,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ raw: Buffer.concat(chunks), bodyType: session.envelope.bodyType });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${(server.server.address() as { port: number }).port}`, received };
}

describe('spliced messages through SMTP with DKIM', () => {
  for (const hide of [false, true]) {
    it(`arrive whole and DKIM-verify (server ${hide ? 'without' : 'with'} 8BITMIME)`, async () => {
      const { url, received } = await startServer(hide);
      const transport = new SmtpTransport({
        url,
        maxConnections: 1,
        maxMessages: 100,
        rateLimit: 1000,
        tls: { rejectUnauthorized: false },
        connectionTimeoutMs: 5000,
        greetingTimeoutMs: 5000,
        socketTimeoutMs: 5000,
        clock,
        dkim: { domain: 'digest.example.test', selector: 'tid1', privateKey: pem },
      });
      cleanups.push(() => transport.close());
      const build = createSegmentMessageBuilder({ ...options, allow8bit: () => transport.eightBitMime });
      const segment = awkwardSegment(false);
      const sent = [];
      for (const reader of readers) {
        const message = build(inputFor(segment, reader));
        sent.push(message);
        await transport.send(message);
      }
      expect(transport.eightBitMime).toBe(!hide);
      expect(received).toHaveLength(readers.length);
      // The first message went before the server's EHLO was known: 7-bit. Later ones 8-bit when offered.
      expect(received.map((r) => r.bodyType)).toEqual(readers.map((_, i) => (!hide && i > 0 ? '8bitmime' : '7bit')));
      for (const [i, { raw }] of received.entries()) {
        if (hide) expect(/^[\x00-\x7f]*$/.test(raw.toString('latin1'))).toBe(true);
        const result = (await dkimVerify(raw, {
          resolver,
          curTime: new Date('2026-11-28T07:00:00Z'),
        } as never)) as unknown as {
          results: { status: { result: string } }[];
        };
        expect(result.results.map((r) => r.status.result)).toEqual(['pass']);
        const whole = await simpleParser(buildWhole(inputFor(segment, readers[i]!)).raw);
        const got = await simpleParser(raw);
        expect(got.html).toBe(whole.html);
        expect(got.text).toBe(whole.text);
        expect(got.messageId).toBe(sent[i]!.messageId);
      }
    });
  }
});
