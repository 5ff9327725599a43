import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const SECRET = 'integration-test-secret-0123456789';

async function startSink(): Promise<{
  port: number;
  messages: { to: string[]; mail: ParsedMail; raw: string }[];
  close: () => Promise<void>;
}> {
  const messages: { to: string[]; mail: ParsedMail; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), mail: await simpleParser(raw), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, messages, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the whole job (ingest, subscribers, build, render, send) over real SMTP', () => {
  const tempDir = useTempDir();
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => stop?.());

  it('sends each active subscriber their digest once, with correct headers, and a rerun sends nothing', async () => {
    const sink = await startSink();
    stop = sink.close;
    const dir = tempDir();
    for (const folder of ['samples', 'subscribers'])
      cpSync(path.resolve(folder), path.join(dir, folder), { recursive: true });
    const config = (await import('node:fs'))
      .readFileSync(path.resolve('tidings.config.yaml'), 'utf8')
      .replace(
        /transport:\n {2}type: outbox\n {2}dir: outbox/,
        'transport:\n  type: smtp\n  url: ${SMTP_URL}\n  maxConnections: 2\n  rateLimit: 1000',
      );
    expect(config).toContain('type: smtp');
    writeFileSync(path.join(dir, 'tidings.config.yaml'), config);
    const env = {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      TIDINGS_SECRET: SECRET,
      TIDINGS_BASE_URL: 'https://news.example.org',
    };
    const args = ['-q', '-c', path.join(dir, 'tidings.config.yaml'), 'run', '--at', new Date().toISOString()];

    const first = await runCli(args, env);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/6 accepted, 0 failed, 0 skipped/);

    // Six active subscribers in the example lists (one is paused).
    const recipients = sink.messages.flatMap((m) => m.to).sort();
    expect(recipients).toEqual([
      'ada.lovelace@example.org',
      'grace@example.com',
      'ivan.petrov@example.net',
      'kofi@example.net',
      'lin.wei@example.com',
      'maria.garcia@example.org',
    ]);
    const byRecipient = new Map(sink.messages.map((m) => [m.to[0]!, m]));

    const grace = byRecipient.get('grace@example.com')!;
    expect(grace.mail.from!.text).toBe('"The Daily Tidings" <digest@tidings.example.org>');
    expect(grace.mail.subject).toMatch(/^The Daily Tidings · /);
    // mailparser folds the List-* headers into one structured `list` header.
    const list = grace.mail.headers.get('list') as Record<string, Record<string, string>>;
    expect(list['unsubscribe-post']!.name).toBe('List-Unsubscribe=One-Click');
    expect(list.id!.id).toBe('daily.tidings.example.org');
    expect(list.unsubscribe!.mail).toMatch(/^unsubscribe@tidings\.example\.org\?subject=/);
    expect(grace.mail.messageId).toMatch(/@tidings\.example\.org>$/);
    expect(grace.mail.html).toBeTruthy();
    expect(grace.mail.text).toBeTruthy();
    // Grace chose technology and science only: no business or security section.
    expect(grace.mail.text).toMatch(/TECHNOLOGY/i);
    expect(grace.mail.text).not.toMatch(/^BUSINESS$/im);
    expect(grace.mail.text).not.toMatch(/Phishing emails impersonate/);

    // The unsubscribe link is signed for this subscriber and this newsletter.
    const unsubscribe = /<(https:\/\/news\.example\.org\/u\/([^>]+))>/.exec(grace.raw.replace(/\r\n /g, ' '));
    expect(unsubscribe).not.toBeNull();
    expect(verifySubscriberToken(unsubscribe![2]!, SECRET)).toMatchObject({
      newsletterId: 'daily',
      purpose: 'unsubscribe',
    });
    expect(verifySubscriberToken(unsubscribe![2]!, 'another-secret-0123456789')).toBeNull();
    expect(grace.mail.html).toContain(unsubscribe![1]);

    // The Russian reader gets Russian interface strings.
    expect(byRecipient.get('ivan.petrov@example.net')!.mail.text).toMatch(/[А-Яа-я]{4,}/);

    // Same slot again: the ledger says everyone has it.
    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(sink.messages).toHaveLength(6);
    expect(again.out).toMatch(/0 accepted, 0 failed, 0 skipped, 6 already handled by earlier runs/);
  });
});
