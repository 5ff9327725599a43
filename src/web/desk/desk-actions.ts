import type { Editor } from '../../editors/editor-store.ts';
import { checkSendable } from '../../app/edition-send-check.ts';
import { TidingsError } from '../../core/errors.ts';
import { curatedArticles } from '../../editions/plan-digest.ts';
import type { Edition } from '../../editions/edition.ts';
import type { DeskDeps } from './desk-deps.ts';
import { field } from './desk-request.ts';
import { editionPath } from './edition-list-model.ts';

export interface ActionOutcome {
  note: string;
  anchor?: string;
  forbidden?: boolean;
  /** Where to go instead of back to the edition (the send's confirmation step). */
  redirect?: string;
}

/**
 * One form post of the edition page (`op` names it): every curation goes through the
 * same curation module as the CLI, acting for the signed-in editor. Sending now is for
 * admins only; a test copy and approval for every editor.
 */
export async function applyDeskAction(
  deps: DeskDeps,
  edition: Edition,
  editor: Editor,
  body: unknown,
): Promise<ActionOutcome> {
  const curator = deps.ops.curator(editor.name);
  const op = field(body, 'op');
  const article = field(body, 'article');
  const anchor = article ? `a-${article}` : undefined;
  const newsletter = curator.newsletterOf(edition);
  switch (op) {
    case 'pin':
      await curator.pick(edition.id, article, { pinned: true, excluded: false });
      return { note: 'Pinned as the top story.', anchor };
    case 'unpin':
      await curator.pick(edition.id, article, { pinned: false });
      return { note: 'Unpinned.', anchor };
    case 'exclude':
      await curator.exclude(edition.id, article);
      return { note: 'Excluded from this edition.' };
    case 'include':
      await curator.exclude(edition.id, article, false);
      return { note: 'Included again.', anchor };
    case 'up':
    case 'down': {
      const target = edition.articles.find((a) => a.articleId === article);
      if (!target) throw new TidingsError('INPUT_INVALID', 'that article is not in this edition');
      const section = curatedArticles(edition, newsletter.categories).filter(
        (a) => a.category === target.category && !a.pinned,
      );
      const index = section.findIndex((a) => a.articleId === article);
      await curator.move(edition.id, article, Math.max(1, index + 1 + (op === 'up' ? -1 : 1)));
      return { note: op === 'up' ? 'Moved up.' : 'Moved down.', anchor };
    }
    case 'reorder': {
      const order = field(body, 'order')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      await curator.reorder(edition.id, field(body, 'category'), order);
      return { note: 'New order saved.' };
    }
    case 'edit':
      await curator.pick(edition.id, article, {
        titleOverride: field(body, 'title').trim() || null,
        summaryOverride: field(body, 'summary').trim() || null,
      });
      return { note: 'Title and summary saved for this edition.', anchor };
    case 'intro':
      await curator.setIntro(edition.id, field(body, 'intro'));
      return { note: 'Introduction saved.' };
    case 'add':
      await curator.add(edition.id, article, field(body, 'category') || undefined);
      return { note: 'Added to the edition.', anchor };
    case 'add-url': {
      const added = await deps.ops.addLink({
        editionId: edition.id,
        url: field(body, 'url'),
        title: field(body, 'title'),
        summary: field(body, 'summary'),
        category: field(body, 'category') || null,
        actor: editor.name,
      });
      const how = added.fetched
        ? 'fetched and summarized'
        : `not fetched (${added.fetchProblem}): your title and summary stand`;
      return { note: `Link added, ${how}.`, anchor: `a-${added.articleId}` };
    }
    case 'recategorize':
      await curator.recategorize(edition.id, article, field(body, 'category'));
      return { note: 'Category changed (the classifier learns from it).', anchor };
    case 'block-article':
      await curator.block(edition.id, article, 'article');
      return { note: 'Blocked: this article stays out of later editions.' };
    case 'block-source':
      await curator.block(edition.id, article, 'source');
      return { note: 'Blocked: this source stays out of later editions.' };
    case 'approve':
      await curator.approve(edition.id);
      return { note: 'Approved.' };
    case 'unapprove':
      await curator.unapprove(edition.id);
      return { note: 'Approval withdrawn.' };
    case 'test': {
      const result = await deps.sends.sendTest(
        edition,
        editor.name,
        field(body, 'to').trim(),
        field(body, 'subscriber'),
      );
      if (!result.ok) throw new TidingsError('INPUT_INVALID', `test copy not sent: ${result.message}`);
      return { note: `Test copy sent to ${field(body, 'to').trim()}.` };
    }
    case 'send': {
      if (editor.role !== 'admin') return { note: 'Only an admin can send an edition from the desk.', forbidden: true };
      checkSendable(edition, newsletter);
      // One click never sends to everyone: the form must come from the confirmation page.
      if (field(body, 'confirm') !== 'yes')
        return { note: 'Confirm the send first.', redirect: `${editionPath(edition.id)}/send` };
      const started = await deps.sends.start(edition, editor.name);
      return { note: started ? 'Sending started.' : 'A send of this edition is already running.' };
    }
    default:
      throw new TidingsError('INPUT_INVALID', `unknown action "${op}"`);
  }
}
