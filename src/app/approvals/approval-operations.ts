import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { AuditLog } from '../../editions/audit-log.ts';
import type { EditionCurator } from '../../editions/curate-edition.ts';
import type { Edition } from '../../editions/edition.ts';
import type { EditionStore } from '../../editions/edition-store.ts';
import type { AppContext } from '../context.ts';
import { createCurator } from '../create-curator.ts';
import type { ApprovalLinkStore } from '../../signal/approval-link-store.ts';
import { approvalTokenHash, verifyApprovalToken, type ApprovalClaims } from './approval-links.ts';

/** Why a button does nothing: each is its own page. */
export type ApprovalRefusal = 'invalid' | 'expired' | 'used' | 'decided';

export type ApprovalCheck =
  | { ok: true; claims: ApprovalClaims; edition: Edition }
  | { ok: false; reason: ApprovalRefusal; edition?: Edition; detail?: string };

export interface ApprovalOperations {
  /** What the confirmation page (GET) shows: nothing changes. */
  check(token: string): Promise<ApprovalCheck>;
  /** The POST: acts once, records the editor in the audit log. */
  act(token: string): Promise<ApprovalCheck>;
}

export interface ApprovalDeps {
  secret: string | undefined;
  clock: Clock;
  links: ApprovalLinkStore;
  editions: Pick<EditionStore, 'getEdition' | 'setStatus'>;
  audit: AuditLog;
  /** The curation module acting for an editor (approve goes through it, as on the desk and the CLI). */
  curatorFor(actor: string): Pick<EditionCurator, 'approve'>;
}

const UNDECIDED = new Set(['draft', 'approved']);

export function createApprovalOperations(deps: ApprovalDeps): ApprovalOperations {
  const check = async (token: string): Promise<ApprovalCheck> => {
    const claims = deps.secret ? verifyApprovalToken(token, deps.secret) : null;
    if (!claims) return { ok: false, reason: 'invalid' };
    const edition = await deps.editions.getEdition(claims.editionId);
    if (!edition) return { ok: false, reason: 'invalid' };
    const used = await deps.links.findUse(approvalTokenHash(token));
    if (used)
      return { ok: false, reason: 'used', edition, detail: `${used.action} by ${used.editor} at ${used.usedAt}` };
    if (deps.clock.now().getTime() >= claims.expiresAt.getTime()) return { ok: false, reason: 'expired', edition };
    if (!UNDECIDED.has(edition.status)) return { ok: false, reason: 'decided', edition, detail: edition.status };
    if (claims.action === 'approve' && edition.status === 'approved')
      return { ok: false, reason: 'decided', edition, detail: `approved by ${edition.approvedBy ?? 'someone'}` };
    return { ok: true, claims, edition };
  };

  return {
    check,
    async act(token) {
      const checked = await check(token);
      if (!checked.ok) return checked;
      const { claims, edition } = checked;
      const now = deps.clock.now();
      const first = await deps.links.markUsed({
        tokenHash: approvalTokenHash(token),
        editionId: edition.id,
        action: claims.action,
        editor: claims.editor,
        usedAt: now.toISOString(),
      });
      if (!first) return { ok: false, reason: 'used', edition };
      try {
        if (claims.action === 'approve') {
          return { ok: true, claims, edition: await deps.curatorFor(claims.editor).approve(edition.id) };
        }
        return { ok: true, claims, edition: await skip(deps, edition, claims.editor, now) };
      } catch (error) {
        return { ok: false, reason: 'decided', edition, detail: describeError(error) };
      }
    },
  };
}

/** Skips the slot (its articles return to the pool for the next edition), as the editor who clicked. */
async function skip(deps: ApprovalDeps, edition: Edition, editor: string, now: Date): Promise<Edition> {
  const reason = `skipped by ${editor} from the approval email`;
  const moved = await deps.editions.setStatus(edition.id, 'skipped', { at: now, reason, from: ['draft', 'approved'] });
  if (!moved) throw new Error(`edition ${edition.id} was decided meanwhile`);
  await deps.audit.record({
    at: now.toISOString(),
    actor: editor,
    action: 'skip',
    newsletterId: edition.newsletterId,
    editionId: edition.id,
    details: { via: 'approval email', reason },
  });
  return (await deps.editions.getEdition(edition.id)) ?? edition;
}

export function approvalOperationsFromContext(ctx: AppContext): ApprovalOperations {
  return createApprovalOperations({
    secret: ctx.config.web.secret,
    clock: ctx.clock,
    links: ctx.store.approvalLinks,
    editions: ctx.store.editions,
    audit: ctx.store.audit,
    curatorFor: (actor) => createCurator(ctx, actor),
  });
}
