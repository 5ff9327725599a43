import { collapseWhitespace } from '../html-to-text.ts';

/**
 * What the <head> of a page says about itself, read before Readability rewrites the
 * document. Keys of `meta` are lower-cased `property`, `name` or `itemprop` values;
 * the first non-empty content wins, as it does in browsers' reader views.
 */
export interface PageHead {
  meta: Map<string, string>;
  /** Every value of repeatable properties such as article:tag. */
  metaAll: Map<string, string[]>;
  baseHref: string | null;
  canonicalHref: string | null;
  imageSrcHref: string | null;
  documentTitle: string | null;
  firstHeading: string | null;
  htmlLang: string | null;
  firstTimeDatetime: string | null;
}

/** The minimal DOM surface used here, so linkedom and jsdom documents both fit. */
interface ElementLike {
  getAttribute(name: string): string | null;
  textContent: string | null;
}
interface DocumentLike {
  querySelectorAll(selector: string): Iterable<ElementLike> & ArrayLike<ElementLike>;
  querySelector(selector: string): ElementLike | null;
  documentElement: ElementLike | null;
}

export function readPageHead(document: DocumentLike): PageHead {
  const meta = new Map<string, string>();
  const metaAll = new Map<string, string[]>();
  for (const element of Array.from(document.querySelectorAll('meta'))) {
    const content = collapseWhitespace(element.getAttribute('content') ?? '');
    if (!content) continue;
    for (const attribute of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = element.getAttribute(attribute)?.trim().toLowerCase();
      if (!key) continue;
      if (!meta.has(key)) meta.set(key, content);
      const all = metaAll.get(key) ?? [];
      all.push(content);
      metaAll.set(key, all);
    }
  }

  let canonicalHref: string | null = null;
  let imageSrcHref: string | null = null;
  for (const link of Array.from(document.querySelectorAll('link[rel][href]'))) {
    const rel = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    const href = link.getAttribute('href')?.trim() || null;
    if (rel.includes('canonical') && !canonicalHref) canonicalHref = href;
    if (rel.includes('image_src') && !imageSrcHref) imageSrcHref = href;
  }

  const text = (element: ElementLike | null) => collapseWhitespace(element?.textContent ?? '') || null;
  return {
    meta,
    metaAll,
    baseHref: document.querySelector('base[href]')?.getAttribute('href')?.trim() || null,
    canonicalHref,
    imageSrcHref,
    documentTitle: text(document.querySelector('title')),
    firstHeading: text(document.querySelector('h1')),
    htmlLang: document.documentElement?.getAttribute('lang')?.trim() || null,
    firstTimeDatetime: document.querySelector('time[datetime]')?.getAttribute('datetime')?.trim() || null,
  };
}

/** The first of several meta keys that has a value. */
export function firstMeta(head: PageHead, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = head.meta.get(key);
    if (value) return value;
  }
  return null;
}

/** `en_US`, `EN-us`, `en` → a BCP 47 tag (`en-US`, `en`), or null for junk. */
export function normalizeLanguageTag(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const tag =
    raw
      .trim()
      .replace(/_/g, '-')
      .split(/[\s,;]/)[0] ?? '';
  const match = /^([a-z]{2,3})(?:-([a-z0-9]{2,8}))?(?:-[a-z0-9]{1,8})*$/i.exec(tag);
  if (!match) return null;
  const primary = match[1]!.toLowerCase();
  const region = match[2];
  if (!region) return primary;
  return `${primary}-${region.length === 2 ? region.toUpperCase() : region}`;
}
