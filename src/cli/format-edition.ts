import type { AppContext } from '../app/context.ts';
import type { Edition } from '../editions/edition.ts';
import { chooseTopStoryWithRule, curatedArticles } from '../editions/plan-digest.ts';

/** `edition show`: the curated order as `edition move` numbers it, the approver, and which rule chose the top story. */
export function formatEdition(edition: Edition, categoryOrder: readonly string[]): string[] {
  const approval = edition.approvedAt ? ` · approved ${edition.approvedAt} by ${edition.approvedBy ?? 'unknown'}` : '';
  const lines = [
    `${edition.id}  ${edition.status}${edition.statusReason ? ` (${edition.statusReason})` : ''}`,
    `  slot ${edition.slot} · built ${edition.builtAt}${approval}`,
  ];
  if (edition.intro) lines.push(`  intro: ${edition.intro.replace(/\n+/g, ' ¶ ')}`);
  let heading = '';
  let number = 0;
  const excluded = edition.articles.filter((a) => a.excluded);
  const curated = curatedArticles(edition, categoryOrder);
  // Without a pin the email still leads with one story: show the editor which, in place, and why.
  const top = chooseTopStoryWithRule(curated);
  for (const article of [...curated, ...excluded]) {
    const group = article.pinned ? 'top story' : article.excluded ? 'excluded' : article.category;
    if (group !== heading) {
      heading = group;
      number = 0;
      lines.push(`  [${group}]`);
    }
    // Numbers are the positions `edition move` takes: within the section, pinned and excluded aside.
    const label = article.pinned ? ' *' : article.excluded ? ' -' : String(++number).padStart(2);
    const flag = top && article === top.article && !article.pinned ? `  <TOP auto: ${top.rule}; pin to choose>` : '';
    lines.push(`    ${label}. ${article.articleId.slice(0, 10)}  ${article.title} (${article.sourceTitle})${flag}`);
    // Who wrote the summary: the editor checks a model's words before approving.
    if (article.summary) lines.push(`        summary by ${article.summaryEngine ?? 'extractive'}`);
    // The story's cluster: the shown article's source first, then the ones folded into it.
    if (article.alsoIn?.length) {
      lines.push(`        story from ${article.sourceTitle}; also in:`);
      for (const link of article.alsoIn)
        lines.push(`          ${link.articleId.slice(0, 10)}  ${link.source}  ${link.url ?? '(no url)'}`);
    }
  }
  if (top?.rule === 'pinned') lines.push(`  top story: pinned`);
  return lines;
}

/** `edition show --json`: the stored edition plus the top story and the rule that chose it. */
export function editionJson(edition: Edition, categoryOrder: readonly string[]): object {
  const top = chooseTopStoryWithRule(curatedArticles(edition, categoryOrder));
  return { ...edition, topStory: top ? { articleId: top.article.articleId, rule: top.rule } : null };
}

/** Prints an edition as `edition show` does: JSON, or the readable lines. */
export function printEdition(ctx: AppContext, edition: Edition, json: boolean | undefined): number {
  const order = ctx.config.newsletters.find((n) => n.id === edition.newsletterId)?.categories ?? [];
  if (json) ctx.out(JSON.stringify(editionJson(edition, order), null, 2));
  else for (const line of formatEdition(edition, order)) ctx.out(line);
  return 0;
}
