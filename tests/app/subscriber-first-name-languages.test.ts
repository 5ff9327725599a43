import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-reader-fields-');

describe('stored firstName and languages from the subscriber files', () => {
  it("greets with the stored first name and sends articles in the languages the reader listed, not only the locale's", async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createSubscriberWorkspace(
      tempDir(),
      [
        {
          email: 'ann@example.org',
          name: 'Dr. Ann Example',
          firstName: 'Annie',
          languages: ['en', 'de'],
          locale: 'en',
          newsletters: ['daily'],
        },
        { email: 'bo@example.org', name: 'Bo Reader', locale: 'en', newsletters: ['daily'] },
      ],
      { languages: 'strict' },
    );
    workspaces.push(ws);
    const sync = await ws.cli(['subscribers', 'sync'], sink.url, T1);
    expect(sync.code, sync.err).toBe(0);
    const titles = ws.addArticles(T1);
    const published = new Date(new Date(T1).getTime() - 3_600_000).toISOString();
    writeFileSync(
      path.join(ws.dir, 'articles', 'german.md'),
      `---\ntitle: Neue Sternwarte vermisst ferne Galaxien\nurl: https://desk.example.com/de-1\ndate: ${published}\ncategories: [Science]\nlanguage: de\n---\n\n` +
        'Die Forschenden haben heute ihre Ergebnisse vorgestellt. Die Messungen dauerten drei Jahre. Andere Gruppen können die Methode wiederholen.\n',
    );
    const run = await ws.cli(['run', '--at', T1], sink.url, later(T1));
    expect(run.code, run.out + run.err).toBe(0);

    const mailTo = async (email: string) => simpleParser(sink.messages.find((m) => m.to.includes(email))!.raw);
    const ann = await mailTo('ann@example.org');
    const bo = await mailTo('bo@example.org');
    expect(ann.text).toContain('Hi Annie,');
    expect(bo.text).toContain('Hi Bo,');
    for (const mail of [ann, bo]) expect(mail.text).toContain(titles.science);
    expect(ann.text).toContain('Neue Sternwarte vermisst ferne Galaxien');
    expect(bo.text).not.toContain('Neue Sternwarte');

    // The store keeps both fields (export shows them), and the files still decide: a later sync clears them.
    const exported = JSON.parse(
      (await ws.cli(['subscribers', 'export', 'ann@example.org'], sink.url, later(T1, 5))).out,
    ) as { subscriber: Record<string, unknown> };
    expect(exported.subscriber).toMatchObject({ firstName: 'Annie', languages: ['en', 'de'] });
    ws.writePeople([
      { email: 'ann@example.org', name: 'Dr. Ann Example', newsletters: ['daily'] },
      { email: 'bo@example.org', name: 'Bo Reader', newsletters: ['daily'] },
    ]);
    expect((await ws.cli(['subscribers', 'sync'], sink.url, later(T1, 6))).code).toBe(0);
    const again = JSON.parse(
      (await ws.cli(['subscribers', 'export', 'ann@example.org'], sink.url, later(T1, 7))).out,
    ) as { subscriber: Record<string, unknown> };
    expect(again.subscriber).toMatchObject({ firstName: null, languages: null });
  });

  it('rejects a languages entry that is not a language tag, naming the field', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', languages: ['en', 'not a tag!'], newsletters: ['daily'] },
    ]);
    workspaces.push(ws);
    const result = await ws.cli(['subscribers', 'validate'], sink.url, T1);
    expect(result.code).not.toBe(0);
    expect(result.out + result.err).toMatch(/languages.*"not a tag!" is not a BCP 47 language tag/);
  });
});
