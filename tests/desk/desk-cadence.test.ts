import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { AT, EDITION, PASSWORDS, SECRET, startDeskServer, type DeskServer } from './support/desk-server.ts';

/** Logs in as `ann` (cookie and CSRF as a browser keeps them) and returns a page reader. */
async function loggedIn(base: string): Promise<(route: string) => Promise<string>> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const header of response.headers.getSetCookie()) {
      const [name, value] = header.split(';')[0]!.split('=');
      if (value) jar.set(name!, value);
    }
  };
  const cookies = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const form = await fetch(new URL('/desk/login', base));
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const login = await fetch(new URL('/desk/login', base), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookies(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, login: 'ann', password: PASSWORDS.ann }).toString(),
  });
  expect(login.status).toBe(303);
  keep(login);
  return async (route) => {
    const response = await fetch(new URL(route, base), { headers: { cookie: cookies() }, redirect: 'manual' });
    expect(response.status, route).toBe(200);
    return response.text();
  };
}

describe('the desk names the cadence of each edition', () => {
  const tempDir = useTempDir('tidings-desk-cadence-');
  let server: DeskServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('shows `The Daily Tidings · daily` and `· weekly` in the edition list and on the edition page', async () => {
    server = await startDeskServer(tempDir(), { newsletter: '    cadences: [daily, weekly]\n' });
    const config = path.join(server.dir, 'tidings.config.yaml');
    // The weekly stream's draft for Monday, built as the scheduler would.
    const built = await runCli(
      ['-q', '-c', config, 'edition', 'build', 'daily.weekly', '--at', '2026-11-30T07:00:00Z'],
      { TIDINGS_SECRET: SECRET },
      AT,
    );
    expect(built.code, built.err).toBe(0);
    const read = await loggedIn(server.url);

    const list = await read('/desk/editions');
    expect(list).toContain('The Daily Tidings · daily');
    expect(list).toContain('The Daily Tidings · weekly');
    expect(list).toContain('daily.weekly/2026-11-30T07:00');

    expect(await read(`/desk/e/${EDITION}`)).toMatch(/<h1>The Daily Tidings · daily <span/);
    expect(await read('/desk/e/daily.weekly/2026-11-30T07:00')).toMatch(/<h1>The Daily Tidings · weekly <span/);
  }, 120_000);
});
