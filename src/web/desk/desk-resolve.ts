import type { Editor } from '../../editors/editor-store.ts';
import type { DeskOperations } from '../../app/desk/desk-operations.ts';
import type { AmbiguousDecision } from '../../delivery/ledger.ts';
import type { Edition } from '../../editions/edition.ts';
import { field } from './desk-request.ts';

/** Every value of a repeated form field (checkboxes). */
function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | null)?.[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The rows an operator may decide on the edition page: ambiguous ones, while no send holds the edition. */
export async function ambiguousRowsView(ops: DeskOperations, edition: Edition) {
  return (await ops.reads.unresolvedAmbiguous(edition)).map((row) => ({
    email: row.email ?? `subscriber ${row.subscriberId}`,
    hasEmail: Boolean(row.email),
    at: row.finishedAt ?? row.claimedAt ?? '',
    reason: `${row.errorCode ?? ''} ${row.response ?? ''}`.trim().slice(0, 200),
  }));
}

export type ResolveStep =
  | { kind: 'confirm'; context: Record<string, unknown> }
  | { kind: 'done'; note?: string; error?: string }
  | { kind: 'forbidden'; message: string };

/**
 * The desk's resolve action, admins only, in two posts: `resolve` shows what would be
 * recorded and asks for confirmation; `resolve-confirmed` records it through the same app
 * operation as `tidings deliveries resolve`, in the admin's name.
 */
export async function resolveOnDesk(
  ops: DeskOperations,
  edition: Edition,
  editor: Editor,
  body: unknown,
): Promise<ResolveStep> {
  if (editor.role !== 'admin') return { kind: 'forbidden', message: 'Only an admin can resolve ambiguous deliveries.' };
  const decision = field(body, 'decision') as AmbiguousDecision;
  if (decision !== 'accepted' && decision !== 'not-accepted')
    return { kind: 'done', error: 'Choose what the mail server did: accepted or not accepted.' };
  const all = field(body, 'all') === '1';
  const emails = all ? [] : fields(body, 'email');
  if (!all && !emails.length) return { kind: 'done', error: 'Choose the deliveries to resolve, or all of them.' };
  if (field(body, 'op') === 'resolve') {
    const rows = await ambiguousRowsView(ops, edition);
    return {
      kind: 'confirm',
      context: {
        decision,
        accepted: decision === 'accepted',
        all,
        emails: all ? rows.map((row) => row.email) : emails,
        hidden: emails,
        count: all ? rows.length : emails.length,
      },
    };
  }
  const outcome = await ops.resolveAmbiguous({
    editionId: edition.id,
    emails: all ? 'all-ambiguous' : emails,
    decision,
    by: editor.name,
  });
  return outcome.exitCode === 0
    ? { kind: 'done', note: outcome.lines.join(' ') }
    : { kind: 'done', error: outcome.lines.join(' ') };
}
