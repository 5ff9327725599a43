import { describe, expect, it } from 'vitest';
import { createRenderer } from '../../src/render/create-renderer.ts';
import { personalize } from '../../src/render/personalize.ts';
import { cutArticles } from '../../src/render/size-budget.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { createRecordingLogger, TEMPLATES_DIR } from './helpers.ts';

/** 39 section articles + a top story, each with a long (untrimmed source description) summary. */
function fortyArticleEdition() {
  const segment = buildFixtureSegment({ perSection: 13 });
  const longSummary = 'The report runs to many pages and the summary kept most of it. '.repeat(24).trim();
  segment.sections = segment.sections.map((section) => ({
    ...section,
    articles: section.articles.map((article) => ({ ...article, summary: `${article.title}. ${longSummary}` })),
  }));
  return segment;
}

describe('size budget', () => {
  it('cuts a 40-article edition to under 100 KB, logs it and links the full web version', async () => {
    const { logger, lines } = createRecordingLogger();
    const renderer = await createRenderer({ templatesDir: TEMPLATES_DIR, logger });
    const segment = fortyArticleEdition();
    const rendered = await renderer.renderSegment(segment, buildFixtureNewsletter());
    const html = personalize(rendered, FIXTURE_TOKENS).html;

    expect(rendered.droppedArticleIds.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    expect(html).toContain(`href="${segment.webVersionUrl}"`);
    expect(html).toContain('Read the full edition on the web');
    expect(rendered.text).toContain(`Read the full edition on the web: ${segment.webVersionUrl}`);
    for (const id of rendered.droppedArticleIds) expect(html).not.toContain(`/${id}"`);
    // The footer with the unsubscribe link survives.
    expect(html).toContain('https://news.example.org/u/abc123');
    // Cut evenly from the ends of the (equally long) sections, never the top story.
    expect(rendered.droppedArticleIds).not.toContain('top-01');
    const perSection = ['tec', 'sci', 'bus'].map(
      (prefix) => rendered.droppedArticleIds.filter((id) => id.startsWith(prefix)).length,
    );
    expect(Math.max(...perSection) - Math.min(...perSection)).toBeLessThanOrEqual(1);
    const warning = lines().find((line) => line.level === 40 && Array.isArray(line.droppedArticleIds));
    expect(warning?.droppedArticleIds).toEqual(rendered.droppedArticleIds);
    expect(String(warning?.msg)).toMatch(/cut \d+ article/);
  });

  it('keeps an edition that fits whole, without the web-version notice', async () => {
    const renderer = await createRenderer({ templatesDir: TEMPLATES_DIR, logger: createRecordingLogger().logger });
    const rendered = await renderer.renderSegment(buildFixtureSegment({ perSection: 13 }), buildFixtureNewsletter());
    expect(rendered.droppedArticleIds).toEqual([]);
    expect(rendered.html).not.toContain('Read the full edition on the web');
  });

  it('honours a smaller budget and falls back to the view_url token without a web version URL', async () => {
    const renderer = await createRenderer({
      templatesDir: TEMPLATES_DIR,
      logger: createRecordingLogger().logger,
      sizeBudgetBytes: 30 * 1024,
    });
    const segment = { ...buildFixtureSegment(), webVersionUrl: null };
    const rendered = await renderer.renderSegment(segment, buildFixtureNewsletter());
    expect(rendered.droppedArticleIds.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(personalize(rendered, FIXTURE_TOKENS).html)).toBeLessThan(30 * 1024);
    expect(rendered.html).toMatch(/<a href="%%\{view_url\}%%" class="accent"[^>]*>Read the full edition on the web/);
  });

  it('cuts from the end of the longest section first', () => {
    const segment = buildFixtureSegment({ perSection: 3 });
    segment.sections[1]!.articles.push(...buildFixtureSegment({ perSection: 6 }).sections[1]!.articles.slice(3));
    const { content, dropped } = cutArticles(segment, 4);
    expect(dropped).toEqual(['sci-06', 'sci-05', 'sci-04', 'bus-03']);
    expect(content.sections.map((section) => section.articles.length)).toEqual([3, 3, 2]);
  });
});
