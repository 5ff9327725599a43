import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../helpers/temp-dir.ts';
import { answer, completion, startFakeChatServer, type FakeChatServer } from '../content/support/fake-chat-server.ts';
import { EDITION, PASSWORDS, startDeskServer, type DeskServer } from './support/desk-server.ts';

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

/** The card of one article on the edition page. */
function cardOf(html: string, articleId: string): string {
  const start = html.indexOf(`data-id="${articleId}"`);
  return html.slice(start, html.indexOf('</li>', start));
}

describe('desk: who wrote each summary', () => {
  const tempDir = useTempDir('tidings-desk-llm-');
  let server: DeskServer | undefined;
  let model: FakeChatServer | undefined;
  afterEach(async () => {
    await server?.close();
    await model?.close();
    server = model = undefined;
  });

  it('labels model summaries llm:<model>, fallbacks extractive, and an editor rewrite editor; the model text is cleaned and escaped', async () => {
    // The first article asked gets a 500 (fallback); the others a summary with hostile markup.
    model = await startFakeChatServer((request, res, index) => {
      if (index === 0) return answer(res, 500, '{}');
      const title = /^Title: (.*)$/m.exec(request.body.messages![1]!.content)![1]!;
      answer(
        res,
        200,
        completion(`<script>alert(1)</script>Model says: ${title.slice(0, 40)} & more <img src=x onerror=alert(2)>`),
      );
    });
    const llm = `summaries:\n  llm:\n    baseUrl: ${model.baseUrl}\n    model: tiny-desk\n    maxConcurrent: 1\n    timeout: 10s\n`;
    server = await startDeskServer(tempDir(), { desk: llm });
    const edition = (await server.ctx.store.editions.getEdition(EDITION))!;
    const byModel = edition.articles.filter((a) => a.summaryEngine === 'llm:tiny-desk');
    const fallback = edition.articles.filter((a) => a.summaryEngine === 'extractive');
    expect(fallback).toHaveLength(1);
    expect(byModel.length).toBe(edition.articles.length - 1);
    expect(model.requests).toHaveLength(edition.articles.length);

    const browser = client(server.url);
    const login = await browser.request('/desk/login');
    await browser.request('/desk/login', { _csrf: browser.csrfOf(login.text), login: 'ann', password: PASSWORDS.ann });
    const page = await browser.request(`/desk/e/${EDITION}`);
    expect(page.status).toBe(200);
    const modelCard = cardOf(page.text, byModel[0]!.articleId);
    expect(modelCard).toContain('summary by llm:tiny-desk');
    expect(modelCard).toMatch(/<p class="summary">Model says: [^<]* &amp; more<\/p>/);
    expect(page.text).not.toContain('alert(');
    expect(cardOf(page.text, fallback[0]!.articleId)).toContain('summary by extractive');

    // Saving the title alone keeps the model's label; a new summary text is the editor's.
    const target = byModel[0]!;
    const csrf = browser.csrfOf(page.text);
    await browser.request(`/desk/e/${EDITION}`, {
      _csrf: csrf,
      op: 'edit',
      article: target.articleId,
      title: 'A sharper title',
      summary: target.summary!,
    });
    let after = await browser.request(`/desk/e/${EDITION}`);
    expect(cardOf(after.text, target.articleId)).toContain('summary by llm:tiny-desk');
    await browser.request(`/desk/e/${EDITION}`, {
      _csrf: csrf,
      op: 'edit',
      article: target.articleId,
      title: 'A sharper title',
      summary: 'Written by the desk.',
    });
    after = await browser.request(`/desk/e/${EDITION}`);
    expect(cardOf(after.text, target.articleId)).toContain('summary by editor');
    expect(cardOf(after.text, target.articleId)).toContain('Written by the desk.');
    // The whole project (ingest, sync, build, two password hashes) is set up inside the test.
  }, 90_000);
});
