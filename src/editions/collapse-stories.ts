import type { StoredArticle } from '../core/stored-article.ts';
import { clusterStories, type ClusterOptions } from './cluster-stories.ts';
import type { AlsoInLink } from './edition.ts';

export interface CollapsedStories {
  /** One article per story: the one from the first source. */
  articles: StoredArticle[];
  /** The other sources of each kept article's story, by kept article id (absent for a story told once). */
  alsoIn: Map<string, AlsoInLink[]>;
}

const seenAt = (article: StoredArticle) => Date.parse(article.firstSeenAt);
const publishedAt = (article: StoredArticle) => Date.parse(article.publishedAt ?? article.firstSeenAt);

/**
 * Each story once in an edition, decided at build time from the window's articles (no
 * stored clusters: the window is the whole universe an edition draws from, and the
 * result is frozen in the edition's snapshot). The story is shown from the source that
 * brought it first (first seen, then published, then id), preferring a member in one of
 * the newsletter's categories; the others become `alsoIn` links, one per source. A story
 * one of whose members an earlier edition already carried is left out whole.
 */
export function collapseStories(
  candidates: readonly StoredArticle[],
  options: ClusterOptions & {
    categories: readonly string[];
    /** The newsletter has an `otherSection`: an article no category claimed is in it too. */
    takesUnsorted?: boolean;
    alreadyUsed: ReadonlySet<string>;
  },
): CollapsedStories {
  const byId = new Map(candidates.map((article) => [article.id, article]));
  const groups = clusterStories(candidates, options);
  const articles: StoredArticle[] = [];
  const alsoIn = new Map<string, AlsoInLink[]>();
  const inNewsletter = (article: StoredArticle) =>
    article.categories.some((slug) => options.categories.includes(slug)) ||
    (options.takesUnsorted === true && article.categoryOrigin === 'none');
  for (const ids of groups) {
    const members = ids.map((id) => byId.get(id)!);
    if (members.length === 1) {
      articles.push(members[0]!);
      continue;
    }
    if (members.some((article) => options.alreadyUsed.has(article.id))) continue;
    members.sort((a, b) => seenAt(a) - seenAt(b) || publishedAt(a) - publishedAt(b) || a.id.localeCompare(b.id));
    const shown = members.find(inNewsletter) ?? members[0]!;
    articles.push(shown);
    const sources = new Set([shown.source]);
    const links: AlsoInLink[] = [];
    for (const member of members) {
      if (sources.has(member.source)) continue;
      sources.add(member.source);
      // Readers see the source's display title (sources[].title, else the site's own name).
      links.push({ articleId: member.id, source: member.sourceTitle ?? member.source, url: member.url });
    }
    if (links.length > 0) alsoIn.set(shown.id, links);
  }
  return { articles, alsoIn };
}
