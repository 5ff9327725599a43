import { afterEach, describe, expect, it } from 'vitest';
import { makeRecord } from '../helpers/article-records.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { AT, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

const HOUR = 3_600_000;

/** Logs in over real HTTP and returns a GET that carries the session cookie. */
async function loggedIn(base: string): Promise<(path: string) => Promise<{ status: number; text: string }>> {
  const loginPage = await fetch(new URL('/desk/login', base));
  const loginCookie = loginPage.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())![1]!;
  const login = await fetch(new URL('/desk/login', base), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, login: 'ann', password: PASSWORDS.ann }).toString(),
  });
  const session = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('tidings_desk='))!
    .split(';')[0]!;
  return async (path) => {
    const response = await fetch(new URL(path, base), { headers: { cookie: session }, redirect: 'manual' });
    return { status: response.status, text: await response.text() };
  };
}

describe('desk: sources page and the watchdog warning on the editions page', () => {
  const tempDir = useTempDir('tidings-desk-sources-');
  let server: DeskServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lists every source, names a source gone quiet first, and warns above the editions; logged out it redirects', async () => {
    server = await startDeskServer(tempDir());
    expect((await fetch(new URL('/desk/sources', server.url), { redirect: 'manual' })).status).toBe(303);
    const get = await loggedIn(server.url);
    const calm = await get('/desk/sources');
    expect(calm.status).toBe(200);
    expect(calm.text).toContain('harbor-herald');
    expect(calm.text).not.toContain('class="warned"');
    expect((await get('/desk/editions')).text).not.toContain('Sources need a look');

    // Every 6 hours for a week up to the samples' ingest, then ten days of nothing.
    const end = Date.parse(AT) - 6 * HOUR;
    for (let i = 0; i < 28; i++) {
      const at = new Date(end - i * 6 * HOUR);
      const record = makeRecord({ id: `quiet-${i}`, source: 'harbor-herald', publishedAt: at.toISOString() });
      await server.ctx.store.articles.saveArticles([{ ...record, url: `https://news.example.org/q${i}` }], at);
    }
    server.clock.advance(10 * 24 * HOUR);
    const later = await loggedIn(server.url); // the session of ten days ago has expired
    const warned = await later('/desk/sources');
    expect(warned.text).toMatch(
      /<tr class="warned">\s*<td>harbor-herald <span class="muted">\(feed\)<\/span><\/td>[\s\S]*harbor-herald: nothing new for 10 days; it usually brings an item every \d+ h/,
    );
    expect(warned.text.indexOf('harbor-herald')).toBeLessThan(warned.text.indexOf('desk-files'));
    const editions = await later('/desk/editions');
    expect(editions.text).toContain('<a href="/desk/sources">Sources need a look</a>');
    expect(editions.text).toContain('harbor-herald: nothing new for 10 days');
  }, 60_000);
});
