import type { SegmentContent } from '../editions/segment-content.ts';

/**
 * Gmail clips messages over ~102 KB and hides what follows: the footer with the
 * unsubscribe link. The renderer keeps the HTML under a budget by cutting articles
 * from the end of the longest sections (ties: the later section), never the top story.
 */
export const DEFAULT_SIZE_BUDGET_BYTES = 100 * 1024;

/** Room for each token's personal value (a signed unsubscribe URL is ~100-150 bytes). */
export const TOKEN_HEADROOM_BYTES = 160;

/** The HTML's size as it will be sent: bytes plus room for every token's value. */
export function measureHtml(html: string): number {
  const tokens = html.match(/%%\{[a-z_]+\}%%/g)?.length ?? 0;
  return Buffer.byteLength(html, 'utf8') + tokens * TOKEN_HEADROOM_BYTES;
}

export function countSectionArticles(content: SegmentContent): number {
  return content.sections.reduce((sum, section) => sum + section.articles.length, 0);
}

/** Removes `count` articles, one at a time from the end of the then-longest section. */
export function cutArticles(content: SegmentContent, count: number): { content: SegmentContent; dropped: string[] } {
  const sections = content.sections.map((section) => ({ ...section, articles: [...section.articles] }));
  const dropped: string[] = [];
  for (let i = 0; i < count; i++) {
    let longest = -1;
    sections.forEach((section, index) => {
      if (section.articles.length > 0 && (longest < 0 || section.articles.length >= sections[longest]!.articles.length))
        longest = index;
    });
    if (longest < 0) break;
    dropped.push(sections[longest]!.articles.pop()!.articleId);
  }
  return { content: { ...content, sections: sections.filter((section) => section.articles.length > 0) }, dropped };
}

/**
 * How many articles to cut next: the overshoot divided by the average bytes per
 * article. The average includes the fixed frame, so it over-estimates an article and
 * the estimate never cuts more than needed; the loop re-renders and cuts again.
 */
export function estimateCut(size: number, budget: number, articles: number): number {
  if (size <= budget || articles === 0) return 0;
  const perArticle = size / (articles + 1);
  return Math.min(articles, Math.max(1, Math.floor((size - budget) / perArticle)));
}
