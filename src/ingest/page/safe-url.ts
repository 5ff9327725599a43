import { toHttpUrl } from '../../core/http-url.ts';

/** The effective base of a page: `<base href>` resolved against the page URL. */
export function resolveBase(pageUrl: string | null, baseHref: string | null | undefined): string | null {
  const page = toHttpUrl(pageUrl);
  if (!baseHref) return page;
  return toHttpUrl(baseHref, page) ?? page;
}
