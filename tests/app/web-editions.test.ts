import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { createSubscriberWorkspace, messagesTo, type SubscriberWorkspace } from './support/subscriber-workspace.ts';

const T1 = '2026-03-02T07:00:00Z';
const T2 = '2026-03-03T07:00:00Z';
const T3 = '2026-03-04T07:00:00Z';
const later = (iso: string, minutes = 1) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString();

const sinks: SmtpSink[] = [];
const workspaces: SubscriberWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) ws.close();
  for (const sink of sinks.splice(0)) await sink.close();
});
const tempDir = useTempDir('tidings-web-');
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('editions on the web', () => {
  it('shows a sent edition whole without personal data, lists the public archive newest first, and hides drafts and closed archives', async () => {
    const sink = await startSmtpSink();
    sinks.push(sink);
    const ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ann@example.org', name: 'Annabel', newsletters: ['daily'], categories: ['science'] },
      { email: 'wes@example.org', name: 'Wes', newsletters: ['weekly'] },
    ]);
    workspaces.push(ws);
    const titles1 = ws.addArticles(T1);
    expect((await ws.cli(['run', '--at', T1], sink.url, later(T1))).code).toBe(0);
    ws.addArticles(T2);
    expect((await ws.cli(['run', '--at', T2], sink.url, later(T2))).code).toBe(0);
    ws.addArticles(T3);
    expect((await ws.cli(['ingest'], sink.url, later(T3))).code).toBe(0);
    const preview = await ws.cli(['preview', 'daily', '--at', T3, '--out', `${ws.dir}/preview`], sink.url, later(T3));
    expect(preview.code, preview.out + preview.err).toBe(0); // a draft edition: built, never sent

    // Weekly's archive is not public: its mails carry no List-Archive.
    expect(messagesTo(sink.messages, 'wes@example.org')[0]!.raw.toString('latin1')).not.toContain('List-Archive');

    const { service } = ws.service(sink.url, later(T3, 5));
    const page = await service.editionForWeb('daily/2026-03-02T07:00');
    expect(page).toMatchObject({
      id: 'daily/2026-03-02T07:00',
      newsletter: { id: 'daily', title: 'Test Daily' },
      slot: '2026-03-02T07:00:00+00:00',
      archivePublic: true,
    });
    expect(page.subject).toContain('Test Daily');
    expect(page.sentAt).toMatch(/^2026-03-02T07:01/);
    // The whole edition, although Ann (the only daily reader) chose science only.
    expect(page.html).toContain(titles1.technology);
    expect(page.html).toContain(titles1.science);
    expect(page.text).toContain(titles1.technology);
    for (const personal of ['Annabel', 'ann@example.org', '/u/', '/p/', '%%{']) {
      expect(page.html, personal).not.toContain(personal);
      expect(page.text, personal).not.toContain(personal);
    }
    expect(page.html).toContain('https://news.example.org/archive/daily');
    expect(await service.editionForWeb('daily/2026-03-02T07:00')).toBe(
      await service.editionForWeb('daily/2026-03-02T07:00'),
    );

    for (const id of [
      'daily/2026-03-04T07:00',
      'daily/2030-01-01T07:00',
      'nonsense',
      '../etc/passwd',
      'monthly/2026-03-02T07:00',
    ]) {
      expect(await codeOf(service.editionForWeb(id)), id).toBe('NOT_FOUND');
    }

    const archive = await service.publicArchive('daily');
    expect(archive.newsletter).toEqual({ id: 'daily', title: 'Test Daily', description: '' });
    expect(archive.editions.map((e) => [e.id, e.path])).toEqual([
      ['daily/2026-03-03T07:00', '/e/daily/2026-03-03T07%3A00'],
      ['daily/2026-03-02T07:00', '/e/daily/2026-03-02T07%3A00'],
    ]);
    expect(archive.updatedAt).toBe(archive.editions[0]!.sentAt);
    expect(await codeOf(service.publicArchive('weekly'))).toBe('NOT_FOUND');
    expect(await codeOf(service.publicArchive('monthly'))).toBe('NOT_FOUND');
  });
});
