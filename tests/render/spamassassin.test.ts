import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { planMultilingualSegment } from '../fixtures/render/fixture-languages.ts';
import { defaultRenderer } from './helpers.ts';

const SPAMASSASSIN = '/usr/bin/spamassassin';
const run = promisify(execFile);

/** A minimal multipart/alternative message around the rendered parts (headers are not what this test is about). */
function mimeOf(html: string, text: string): string {
  const part = (type: string, body: string) => [
    `--b1`,
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(body).toString('base64').replace(/.{76}/g, '$&\r\n'),
  ];
  return [
    'From: Morning Brief <brief@example.org>',
    'To: ada@example.org',
    'Subject: The Morning Brief',
    'Date: Sat, 28 Nov 2026 07:00:00 +0100',
    'Message-ID: <fixture-0001@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    ...part('text/plain', text),
    ...part('text/html', html),
    '--b1--',
    '',
  ].join('\r\n');
}

/** The rule names SpamAssassin (local tests only, no network) reports for a message. */
async function rulesFor(message: string): Promise<string[]> {
  const child = run(SPAMASSASSIN, ['-L', '-t'], { maxBuffer: 8 * 1024 * 1024, timeout: 60_000 });
  child.child.stdin!.end(message);
  const { stdout } = await child;
  const status = /^X-Spam-Status: [^\n]*(?:\n[ \t][^\n]*)*/m.exec(stdout)?.[0] ?? '';
  return [...(/tests=([\s\S]*?)\s+autolearn=/.exec(status)?.[1] ?? '').matchAll(/[A-Z0-9_]+/g)].map((m) => m[0]);
}

describe.skipIf(!fs.existsSync(SPAMASSASSIN))('SpamAssassin on the rendered email (where installed)', () => {
  it('fires no HTML_FONT_LOW_CONTRAST: the hidden preheader has no colour of its own', async () => {
    const rendered = await (await defaultRenderer()).renderSegment(
      planMultilingualSegment('en', 'any'),
      buildFixtureNewsletter({ languages: 'any' }),
    );
    const message = personalize(rendered, FIXTURE_TOKENS);
    const rules = await rulesFor(mimeOf(message.html, message.text));
    expect(rules).toContain('HTML_MESSAGE');
    expect(rules).not.toContain('HTML_FONT_LOW_CONTRAST');
    // The check can fail: the old white-on-page preheader (mj-preview's way) trips the rule.
    const whitePreheader = message.html.replace(
      '<div class="preheader" style="',
      '<div class="preheader" style="color:#ffffff;',
    );
    expect(await rulesFor(mimeOf(whitePreheader, message.text))).toContain('HTML_FONT_LOW_CONTRAST');
  }, 120_000);
});
