import { parseHTML } from 'linkedom';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/core/logger.ts';
import { createWebServer } from '../../src/web/create-web-server.ts';
import { loadWebViews } from '../../src/web/web-views.ts';
import {
  createSubscriberWorkspace,
  linksOf,
  messagesTo,
  type SubscriberWorkspace,
} from '../app/support/subscriber-workspace.ts';
import { startSmtpSink, type SmtpSink } from '../delivery/support/smtp-sink.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { TEMPLATES_DIR } from './support/web-app.ts';

const SLOT = '2026-11-28T07:00:00Z';
const NOW = '2026-11-28T07:00:30Z';

/**
 * What a browser submits for the page's first POST form (HTML's form data set): hidden
 * and text inputs, ticked checkboxes, and each select's selected option, or its first.
 */
function formDataOf(html: string): URLSearchParams {
  const { document } = parseHTML(html);
  const form = document.querySelector('form[method="post"]')!;
  const data = new URLSearchParams();
  for (const field of Array.from(form.querySelectorAll('input, select'))) {
    const name = field.getAttribute('name');
    if (!name) continue;
    if (field.tagName === 'SELECT') {
      const option = field.querySelector('option[selected]') ?? field.querySelector('option');
      if (option) data.append(name, option.getAttribute('value') ?? option.textContent ?? '');
      continue;
    }
    const type = field.getAttribute('type') ?? 'text';
    if (type === 'checkbox' && !field.hasAttribute('checked')) continue;
    data.append(name, field.getAttribute('value') ?? (type === 'checkbox' ? 'on' : ''));
  }
  return data;
}

let app: FastifyInstance | null = null;
let sink: SmtpSink | null = null;
let ws: SubscriberWorkspace | null = null;
afterEach(async () => {
  await app?.close();
  await sink?.close();
  ws?.close();
  app = sink = ws = null;
});

describe('the preferences form keeps what it does not change', () => {
  const tempDir = useTempDir('tidings-prefs-keep-');

  it('a reader with en-GB changes topics, time zone and pause: the locale stays en-GB, and a form without the field keeps it too', async () => {
    sink = await startSmtpSink();
    ws = createSubscriberWorkspace(tempDir(), [
      { email: 'ada@example.org', name: 'Ada', newsletters: ['daily'], locale: 'en-GB' },
    ]);
    ws.addArticles(SLOT);
    for (const args of [['ingest'], ['subscribers', 'sync'], ['send', 'daily', '--at', SLOT]]) {
      const result = await ws.cli(args, sink.url, NOW);
      expect(result.code, result.err).toBe(0);
    }
    const { preferences } = await linksOf(messagesTo(sink.messages, 'ada@example.org')[0]!);
    const { service, ctx } = ws.service(sink.url, NOW);
    app = await createWebServer({
      config: ctx.config,
      subscribers: service,
      views: loadWebViews(TEMPLATES_DIR),
      logger: createSilentLogger(),
      clock: { now: () => new Date(NOW) },
      checkHealth: async () => {},
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const page = await (await fetch(`${base}/p/${preferences}`)).text();
    expect(page).toMatch(/<option value="en-GB" selected>/);

    // Only topics, time zone and pause change; the language select is left as the page showed it.
    const form = formDataOf(page);
    form.delete('categories.daily');
    form.append('categories.daily', 'science');
    form.set('timezone', 'Europe/London');
    form.set('pausedUntil', '2026-12-05');
    const saved = await fetch(`${base}/p/${preferences}`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(saved.status).toBe(200);
    const stored = (await ctx.store.subscribers.findByEmail('ada@example.org'))!;
    expect(stored).toMatchObject({ locale: 'en-GB', timezone: 'Europe/London', pausedUntil: '2026-12-05' });
    expect(stored.subscriptions.find((s) => s.newsletterId === 'daily')!.categories).toEqual(['science']);
    // The page after saving speaks the `en` templates and still shows en-GB chosen.
    const after = await saved.text();
    expect(after).toMatch(/<html lang="en(-gb)?"/i);
    expect(after).toMatch(/<option value="en-GB" selected>/);

    // A form that does not show the language, the zone or the pause (topics only) keeps all three.
    const topicsOnly = new URLSearchParams([
      ['action', 'save'],
      ['shown', 'daily'],
      ['newsletter', 'daily'],
      ['categories.daily', 'technology'],
    ]);
    expect(
      (
        await fetch(`${base}/p/${preferences}`, {
          method: 'POST',
          body: topicsOnly,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(200);
    expect((await ctx.store.subscribers.findByEmail('ada@example.org'))!).toMatchObject({
      locale: 'en-GB',
      timezone: 'Europe/London',
      pausedUntil: '2026-12-05',
    });
    // A locale of no language the templates know is still refused.
    const japanese = new URLSearchParams([
      ['action', 'save'],
      ['locale', 'ja-JP'],
    ]);
    expect(
      (
        await fetch(`${base}/p/${preferences}`, {
          method: 'POST',
          body: japanese,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(400);
  }, 60_000);
});
