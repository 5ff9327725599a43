import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import type { Edition, EditionArticle } from '../../src/editions/edition.ts';
import { buildEditionView } from '../../src/web/desk/edition-view-model.ts';
import { loadDeskViews } from '../../src/web/desk/desk-views.ts';
import { TEMPLATES_DIR } from './support/desk-server.ts';

function article(id: string, title: string, extra: Partial<EditionArticle> = {}): EditionArticle {
  return {
    articleId: id,
    category: 'world',
    title,
    summary: null,
    url: `https://courier.example/${id}/`,
    source: 'coast-courier',
    sourceTitle: 'Coast Courier',
    author: null,
    imageUrl: null,
    publishedAt: '2026-11-27T06:00:00Z',
    position: 0,
    pinned: false,
    excluded: false,
    ...extra,
  };
}

describe('the desk shows each story cluster', () => {
  const config = parseConfig(
    {
      categories: { world: { title: 'World' } },
      newsletters: [
        { id: 'daily', title: 'Daily', categories: ['world'], from: 'Daily <d@example.org>', timezone: 'UTC' },
      ],
    },
    {},
  );
  const ctx = { config } as unknown as AppContext;
  const edition: Edition = {
    id: 'daily/2026-11-27T08:00',
    newsletterId: 'daily',
    slot: '2026-11-27T08:00:00+00:00',
    status: 'draft',
    statusReason: null,
    intro: null,
    builtAt: '2026-11-27T08:00:00Z',
    approvedAt: null,
    approvedBy: null,
    articles: [
      article('ferry', 'Storm forces ferry cancellations', {
        alsoIn: [
          { articleId: 'gale', source: 'Island Daily', url: 'https://islanddaily.example/gale' },
          { articleId: 'wire', source: 'Bay <Wire>', url: null },
          { articleId: 'evil', source: 'Trick', url: 'javascript:alert(1)' },
        ],
      }),
      article('council', 'Council approves budget', { position: 1 }),
    ],
  };
  const extra = { addable: [], found: null, query: '', audit: [], subscribers: [], locales: ['en'] };

  it('lists the other sources of a story, with links only to http(s) pages', () => {
    const view = buildEditionView(ctx, edition, extra);
    const [ferry, council] = view.sections[0]!.articles;
    expect(ferry!.alsoIn).toEqual([
      { source: 'Island Daily', url: 'https://islanddaily.example/gale', articleId: 'gale' },
      { source: 'Bay <Wire>', url: null, articleId: 'wire' },
      { source: 'Trick', url: null, articleId: 'evil' },
    ]);
    expect(council!.alsoIn).toEqual([]);
  });

  it('renders them under the story, escaped', () => {
    const views = loadDeskViews(TEMPLATES_DIR);
    const html = views.render('edition', {
      title: edition.id,
      editor: { name: 'ann', role: 'editor' },
      csrf: 'x',
      path: '/desk/e/daily/x',
      edition: buildEditionView(ctx, edition, extra),
      preview: { ok: false, reason: 'n/a' },
    });
    expect(html).toMatch(
      /Same story, also in: <a href="https:\/\/islanddaily\.example\/gale" rel="noopener noreferrer">Island Daily<\/a>, Bay &lt;Wire&gt;, Trick<\/p>/,
    );
    expect(html).not.toContain('javascript:');
    expect(html.match(/Same story, also in/g)).toHaveLength(1);
  });
});
