import type { EditionArticle } from '../editions/edition.ts';
import type { SegmentContent } from '../editions/segment-content.ts';

/**
 * A small segment that exercises every part of the templates (intro, top story with
 * image, two sections, an article in another language, one without a link,
 * web-version notice), rendered once at start so a broken template fails before the
 * first send rather than during it.
 */
function article(
  id: string,
  category: string,
  title: string,
  minutesAgo: number,
  imageUrl: string | null = null,
): EditionArticle {
  return {
    articleId: id,
    category,
    title,
    summary: `A short summary of "${title}" with <markup> & quotes, to check escaping.`,
    url: `https://example.org/${id}?a=1&b=2`,
    source: 'example-wire',
    sourceTitle: 'Example Wire',
    author: 'A. Writer',
    imageUrl,
    publishedAt: new Date(Date.UTC(2026, 0, 15, 7, 0) - minutesAgo * 60_000).toISOString(),
    position: 0,
    pinned: false,
    excluded: false,
  };
}

export const SAMPLE_SEGMENT: SegmentContent = {
  newsletter: {
    id: 'sample',
    title: 'Sample Digest',
    description: 'What the templates are checked against at start.',
    postalAddress: '1 Sample Street\n12345 Sampletown',
    categories: [
      { slug: 'world', title: 'World' },
      { slug: 'science', title: 'Science' },
    ],
  },
  edition: {
    id: 'sample/2026-01-15T08:00:00+01:00',
    slot: '2026-01-15T08:00:00+01:00',
    intro: 'First paragraph.\n\nSecond paragraph,\nwith a line break.',
  },
  topStory: { ...article('top', 'world', 'The top story', 30, 'https://example.org/top.jpg'), pinned: true },
  sections: [
    {
      slug: 'world',
      title: 'World',
      articles: [article('w1', 'world', 'World one', 60), article('w2', 'world', 'World two', 2000)],
    },
    {
      slug: 'science',
      title: 'Science',
      // One in another language (lang on the card) and one page dump without a link.
      articles: [
        { ...article('s1', 'science', 'Science one', 90), language: 'de' },
        { ...article('s2', 'science', 'Science two', 95), url: null },
      ],
    },
  ],
  locale: 'en',
  timezone: 'Europe/Berlin',
  webVersionUrl: 'https://example.org/sample',
};
