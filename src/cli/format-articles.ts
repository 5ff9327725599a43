import type { Article } from '../core/article.ts';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Human-readable article lines for the terminal. */
export function formatArticleLines(articles: readonly Article[], options: { withText: boolean }): string[] {
  const lines: string[] = [];
  for (const article of articles) {
    const when = article.publishedAt ? article.publishedAt.slice(0, 16).replace('T', ' ') : 'undated';
    const categories = article.categories.length ? article.categories.join(', ') : 'uncategorized';
    // The short id is what `tidings edition add` and `pick` accept (an unambiguous prefix).
    lines.push(`${article.id.slice(0, 10)}  ${when}  [${categories}]  ${article.title}`);
    lines.push(
      `            ${article.url ?? '(no url)'}  · ${article.source}${article.author ? ` · ${article.author}` : ''}`,
    );
    if (article.summary) lines.push(`            ${clip(article.summary, 300)}`);
    if (options.withText) {
      const paragraphs = article.text.split('\n\n');
      const words = article.text.split(/\s+/).filter(Boolean).length;
      lines.push(
        `            ${paragraphs.length} paragraph${paragraphs.length === 1 ? '' : 's'}, ${words} word${words === 1 ? '' : 's'}`,
      );
    }
  }
  return lines;
}
