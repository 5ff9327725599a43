import type { EditionArticle } from './edition.ts';

/**
 * What the renderer needs for one segment: the distinct ordered article list a group
 * of subscribers gets, in one locale and time zone. Rendered once, then personalized
 * per subscriber by replacing `%%{token}%%` placeholders. The planner (plan-digest.ts)
 * writes it and the renderer reads it, so it lives here, below render/.
 */
export interface SegmentContent {
  newsletter: {
    id: string;
    title: string;
    description: string;
    postalAddress: string;
    /** Newsletter category slugs in display order, with titles. */
    categories: { slug: string; title: string }[];
  };
  edition: { id: string; slot: string; intro: string | null };
  /** The pinned article, if any (else the first article when the template wants one). */
  topStory: EditionArticle | null;
  /** Sections in the newsletter's category order; empty sections left out. */
  sections: { slug: string; title: string; articles: EditionArticle[] }[];
  locale: string;
  timezone: string;
  /** Absolute URL of the full web version, used when the size budget cuts articles. */
  webVersionUrl: string | null;
  /**
   * Set when the page is for a reader on the web (`/e/`), not a subscriber's email: the
   * footer then has no personal address or links, only the way onward.
   */
  webReader?: WebReaderLinks;
}

/** The onward links of the web page: the public archive and the signup page, each when on. */
export interface WebReaderLinks {
  archiveUrl: string | null;
  signupUrl: string | null;
}
