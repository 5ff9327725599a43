import { signPayload, verifiedPayload } from '../core/signed-payload.ts';

/**
 * Article links of a newsletter with `analytics: aggregate`: `<web.baseUrl>/c/<token>`,
 * where the token is `r:` and the edition, article and section, signed with the link
 * secret. It names no reader (a segment is rendered once for all its readers), and it
 * carries no URL: `/c/` redirects only to the article's URL as the edition recorded it,
 * so a token cannot be made to point anywhere else (no open redirect).
 */
export interface ClickTarget {
  editionId: string;
  articleId: string;
  /** The section the link sits in: a category slug, or `top` for the top story. */
  section: string;
}

/** Turns an article's link (already reduced to http(s) or null) into what the email shows. */
export type ArticleLinker = (url: string | null, target: ClickTarget) => string | null;

/** The section name of the top story's links. */
export const TOP_STORY_SECTION = 'top';

const PAYLOAD_PREFIX = 'r:';

export function signClickToken(target: ClickTarget, secret: string): string {
  return signPayload(PAYLOAD_PREFIX + JSON.stringify([target.editionId, target.articleId, target.section]), secret);
}

/** The target of a valid token, or null for anything forged, altered, truncated or of another kind. */
export function verifyClickToken(token: string, secret: string): ClickTarget | null {
  const payload = verifiedPayload(token, secret);
  if (payload === null || !payload.startsWith(PAYLOAD_PREFIX)) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(payload.slice(PAYLOAD_PREFIX.length));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string' && part))
    return null;
  const [editionId, articleId, section] = parts as string[];
  return { editionId: editionId!, articleId: articleId!, section: section! };
}

/** The linker of `analytics: aggregate`: an article without a link stays without one. */
export function createClickLinker(options: { baseUrl: string; secret: () => string }): ArticleLinker {
  const base = options.baseUrl.replace(/\/+$/, '');
  let secret: string | undefined;
  return (url, target) => {
    if (url === null) return null;
    secret ??= options.secret();
    return `${base}/c/${signClickToken(target, secret)}`;
  };
}
