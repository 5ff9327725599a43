import { type ParsedMail, simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createCliWorkspace } from './support/cli-workspace.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const SLOT = '2026-03-03T07:00:00Z';
const AFTER = '2026-03-03T07:01:00Z';

const sinks: SmtpSink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.close();
});

/** Every link to the site becomes one word: the copy's links name nobody, the reader's name them. */
const withoutLinks = (body: string | false | undefined) =>
  String(body || '').replace(/https:\/\/news\.example\.org\/[^\s"'<>)\]]*/g, 'LINK');

/** The Content-Transfer-Encoding of each body part, in order. */
const partEncodings = (raw: Buffer) =>
  [
    ...raw
      .toString('latin1')
      .matchAll(/Content-Type: text\/(?:plain|html)[^\r\n]*\r\nContent-Transfer-Encoding: ([\w-]+)/g),
  ].map((match) => match[1]);

const headerNames = (mail: ParsedMail) => [...new Set(mail.headerLines.map((line) => line.key))].sort();

describe('a test copy', () => {
  const tempDir = useTempDir();

  it('is the message the reader gets from the bulk send, marked [TEST] and sent to the chosen address', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createCliWorkspace(tempDir(), { subscribers: ['ann@example.org', 'bo@example.org'] });
    const cli = (args: string[]) => ws.cli(args, { smtpUrl: sink.url, now: AFTER });
    ws.addArticles(SLOT);
    expect((await cli(['ingest'])).code).toBe(0);
    expect((await cli(['subscribers', 'sync'])).code).toBe(0);

    const test = await cli([
      'send',
      'daily',
      '--at',
      SLOT,
      '--test',
      'editor@example.org',
      '--subscriber',
      'ann@example.org',
    ]);
    expect(test.code, test.err).toBe(0);
    const sent = await cli(['run', '--at', SLOT]);
    expect(sent.code, sent.out + sent.err).toBe(0);
    expect(sent.out).toMatch(/2 accepted, 0 failed/);

    const copyMessage = sink.messages.find((m) => m.to[0] === 'editor@example.org')!;
    const annMessage = sink.messages.find((m) => m.to[0] === 'ann@example.org')!;
    const [copy, ann] = [await simpleParser(copyMessage.raw), await simpleParser(annMessage.raw)];
    expect(copy.subject).toBe(`[TEST] ${ann.subject}`);
    // The same builder: the same header fields and the same body encoding (no base64 parts of a second path).
    expect(headerNames(copy)).toEqual(headerNames(ann));
    expect(partEncodings(copyMessage.raw)).toHaveLength(2);
    expect(partEncodings(copyMessage.raw).every((encoding) => encoding !== 'base64')).toBe(true);
    expect(partEncodings(annMessage.raw).every((encoding) => encoding !== 'base64')).toBe(true);
    // What Ann reads, word for word, links aside.
    expect(withoutLinks(copy.text)).toBe(withoutLinks(ann.text));
    expect(withoutLinks(copy.html)).toBe(withoutLinks(ann.html));
    expect(copy.text).toContain('Story 1 about a faster compiler');
  });
});
