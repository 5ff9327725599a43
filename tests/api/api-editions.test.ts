import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, startApiServer, type ApiServer } from './support/api-server.ts';

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

const ID = encodeURIComponent(EDITION);

describe('editions through the API', () => {
  const tempDir = useTempDir('tidings-api-editions-');

  it('curates the draft as the desk does, approves it, sends it and reports the progress', async () => {
    const server = await startApiServer(tempDir());
    servers.push(server);
    const editor = await server.token('editor-bot', ['editions:read', 'editions:write']);
    const sender = await server.token('sender', ['send', 'editions:read']);
    const post = (token: string, action: string, body?: unknown) =>
      server.call(token, 'POST', `/api/v1/editions/${ID}/${action}`, body);

    const shown = await (await server.call(editor, 'GET', `/api/v1/editions/${ID}`)).json();
    expect(shown.status).toBe('draft');
    const [first, second] = shown.articles.filter((a: { excluded: boolean }) => !a.excluded);

    let edition = await (await post(editor, 'pin', { article: second.articleId })).json();
    expect(edition.articles[0]).toMatchObject({ articleId: second.articleId, pinned: true });
    edition = await (
      await post(editor, 'rewrite', { article: first.articleId, summary: 'One line, by the API.' })
    ).json();
    expect(edition.articles.find((a: { articleId: string }) => a.articleId === first.articleId).summary).toBe(
      'One line, by the API.',
    );
    edition = await (await post(editor, 'intro', { intro: 'Good morning from the API.' })).json();
    expect(edition.intro).toBe('Good morning from the API.');
    edition = await (await post(editor, 'exclude', { article: first.articleId })).json();
    expect(edition.articles.find((a: { articleId: string }) => a.articleId === first.articleId).excluded).toBe(true);

    // Approval is required before a send (requireApproval).
    const early = await post(sender, 'send');
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/problem\+json/);
    edition = await (await post(editor, 'approve')).json();
    expect(edition).toMatchObject({ status: 'approved', approvedBy: 'api:editor-bot' });

    const started = await post(sender, 'send');
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ started: true });
    await server.ops.drain();
    const progress = await (await server.call(sender, 'GET', `/api/v1/editions/${ID}/progress`)).json();
    expect(progress.status).toBe('sent');
    expect(progress.counts.accepted).toBeGreaterThan(0);
    expect(progress.counts.accepted).toBe(progress.counts.total);
    const outbox = readdirSync(path.join(path.dirname(server.file), 'outbox'), { recursive: true }).filter((f) =>
      String(f).endsWith('.eml'),
    );
    expect(outbox).toHaveLength(progress.counts.accepted);
    const audit = await server.ctx.store.audit.list({ editionId: EDITION });
    expect(audit.map((entry) => entry.actor)).toContain('api:sender');
  }, 120_000);

  it('builds a draft for another slot and lists editions, articles and sources', async () => {
    const server = await startApiServer(tempDir());
    servers.push(server);
    const token = await server.token('reader', ['editions:read', 'editions:write', 'sources:read', 'sources:write']);
    const built = await server.call(token, 'POST', '/api/v1/editions', { newsletter: 'daily', at: '2026-11-28T19:00' });
    expect(built.status).toBe(201);
    expect(await built.json()).toMatchObject({ id: 'daily/2026-11-28T19:00', status: 'draft' });
    const list = await (await server.call(token, 'GET', '/api/v1/editions?newsletter=daily')).json();
    expect(list.items.map((e: { id: string }) => e.id).sort()).toEqual([EDITION, 'daily/2026-11-28T19:00']);

    const articles = await (await server.call(token, 'GET', '/api/v1/articles?limit=3')).json();
    expect(articles.items).toHaveLength(3);
    const word = articles.items[0].title
      .split(/\s+/)
      .find((w: string) => w.length > 5)
      .replace(/\W/g, '');
    const found = await (
      await server.call(token, 'GET', `/api/v1/articles/search?q=${encodeURIComponent(word)}`)
    ).json();
    expect(found.items.map((a: { id: string }) => a.id)).toContain(articles.items[0].id);

    const sources = await (await server.call(token, 'GET', '/api/v1/sources')).json();
    expect(sources.items.length).toBe(server.ctx.config.sources.length);
    expect(sources.items.every((s: { health: string }) => s.health === 'ok')).toBe(true);
    // The watchdog's view travels with each source: the sample feed's rhythm is learned, nothing wrong.
    expect(sources.items[0]).toMatchObject({ warnings: [], learning: false });
    expect(sources.items[0].itemsPerDay).toBeGreaterThan(0);
    const name = sources.items[0].name;
    const ingested = await server.call(token, 'POST', '/api/v1/sources/ingest', { source: name });
    expect((await ingested.json()).items).toEqual([expect.objectContaining({ source: name, ok: true })]);
  }, 120_000);

  it('adds a link to the draft (a private address is refused by the fetch policy: the given title stands in) and reports its clicks', async () => {
    const server = await startApiServer(tempDir());
    servers.push(server);
    const token = await server.token('linker', ['editions:read', 'editions:write']);
    const noTitle = await server.call(token, 'POST', `/api/v1/editions/${ID}/links`, {
      url: 'http://127.0.0.1:9/story',
    });
    expect(noTitle.status).toBe(422);
    expect(noTitle.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const added = await server.call(token, 'POST', `/api/v1/editions/${ID}/links`, {
      url: 'http://127.0.0.1:9/story',
      title: 'Ferry timetable changes in spring',
      summary: 'The harbour board moves the first ferry to 06:40.',
    });
    expect(added.status).toBe(201);
    const body = await added.json();
    expect(body).toMatchObject({ fetched: false, fetchProblem: expect.any(String) });
    const entry = body.edition.articles.find((a: { articleId: string }) => a.articleId === body.articleId);
    expect(entry).toMatchObject({ title: 'Ferry timetable changes in spring' });
    const audit = await server.ctx.store.audit.list({ editionId: EDITION });
    expect(audit.map((e) => e.actor)).toContain('api:linker');

    const clicks = await server.call(token, 'GET', `/api/v1/editions/${ID}/clicks`);
    expect(clicks.status).toBe(200);
    expect(await clicks.json()).toMatchObject({ editionId: EDITION, stories: [], hiddenStories: 0, filtered: 0 });
    const reader = await server.token('reader-only', ['editions:read']);
    expect(
      (await server.call(reader, 'POST', `/api/v1/editions/${ID}/links`, { url: 'https://x.example/' })).status,
    ).toBe(403);
  }, 120_000);
});
