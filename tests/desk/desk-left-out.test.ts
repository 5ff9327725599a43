import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

/** Signs in as ann and returns a GET that carries the session cookie. */
async function signedIn(base: string): Promise<(path: string) => Promise<string>> {
  const login = await fetch(new URL('/desk/login', base));
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const posted = await fetch(new URL('/desk/login', base), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, login: 'ann', password: PASSWORDS.ann }).toString(),
  });
  const session = posted.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const jar = [...cookies, ...session].join('; ');
  return async (path) => (await fetch(new URL(path, base), { headers: { cookie: jar } })).text();
}

describe('desk: the edition page names the readers who would receive nothing', () => {
  const tempDir = useTempDir('tidings-desk-left-out-');
  let server: DeskServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('with languages: strict, the Russian and Spanish readers of the mostly English samples are named with the reason', async () => {
    server = await startDeskServer(tempDir(), {
      editYaml: (yaml) => yaml.replace('    languages: any\n', '    languages: strict\n'),
    });
    const get = await signedIn(server.url);
    const page = await get(`/desk/e/${EDITION}`);
    const line = /<p class="left-out" role="status">(.*?)<\/p>/.exec(page)?.[1] ?? '';
    expect(line).toContain('<strong>2 readers would receive nothing from this edition:</strong>');
    expect(line).toContain('ivan.petrov@example.net (thin: 1 new article(s) for this reader, the minimum is 3)');
    expect(line).toContain('maria.garcia@example.org (no article in their languages (es; languages: strict))');
  }, 60_000);

  it('by default nobody is left out, and the page says nothing about it', async () => {
    server = await startDeskServer(tempDir(), { editYaml: (yaml) => yaml.replace('    languages: any\n', '') });
    const get = await signedIn(server.url);
    const page = await get(`/desk/e/${EDITION}`);
    expect(page).toContain('<h1>');
    expect(page).not.toContain('class="left-out"');
  }, 60_000);
});
