import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from '../desk/support/desk-server.ts';

/** Cookies kept, forms posted url-encoded, redirects not followed. */
function client(base: string) {
  const jar = new Map<string, string>();
  const request = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(new URL(path, base), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [name, value] = header.split(';')[0]!.split('=');
      if (value) jar.set(name!, value);
    }
    return { status: response.status, text: await response.text() };
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { request, csrfOf };
}

describe('webhooks on the desk', () => {
  const tempDir = useTempDir('tidings-webhook-desk-');
  let server: DeskServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('an approval on the desk queues edition.approved; deliveries given up show on the editions page', async () => {
    server = await startDeskServer(tempDir(), {
      editYaml: (yaml) =>
        `${yaml}\nwebhooks:\n  endpoints:\n    - name: chat\n      url: https://hooks.example.org/tidings\n      events: [edition.approved, edition.sent]\n      secretEnv: CHAT_WEBHOOK_SECRET\n`,
    });
    const browser = client(server.url);
    const login = await browser.request('/desk/login');
    await browser.request('/desk/login', { _csrf: browser.csrfOf(login.text), login: 'ann', password: PASSWORDS.ann });
    const page = await browser.request(`/desk/e/${EDITION}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('webhooks-failed');
    const approved = await browser.request(`/desk/e/${EDITION}`, { _csrf: browser.csrfOf(page.text), op: 'approve' });
    expect(approved.status).toBe(303);

    const queue = server.ctx.store.webhooks;
    // Only the events the endpoint asked for: the draft built before is no edition.prepared here.
    const rows = await queue.list({ limit: 10 });
    expect(rows.map((row) => [row.eventType, row.endpoint, row.status])).toEqual([
      ['edition.approved', 'chat', 'pending'],
    ]);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({
      type: 'edition.approved',
      data: { edition: EDITION, newsletter: 'daily', approvedBy: 'ann' },
    });

    // A receiver that stayed away a whole day: the dispatcher gives the row up.
    const [claimed] = await queue.claim({ holder: 'test', at: server.clock.now(), leaseMs: 60_000, limit: 1 });
    await queue.markAttemptFailed(claimed!.id, 'test', 'HTTP 503 Service Unavailable', null, server.clock.now());
    const editions = await browser.request('/desk/editions');
    expect(editions.text).toContain(
      '<p class="error webhooks-failed">1 webhook delivery failed for good after a day of retries (0 pending)',
    );
  });
});
