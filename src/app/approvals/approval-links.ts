import { createHash } from 'node:crypto';
import { signPayload, verifiedPayload } from '../../core/signed-payload.ts';

/**
 * The buttons of the editors' approval email: `/a/<token>`, the token being `a:` and the
 * edition, the action, the editor the email went to and the approval deadline (unix
 * seconds), signed with the link secret. Each opens a confirmation page; the action
 * happens on its POST, once (the store records the token's hash), and not after the
 * deadline.
 */
export type ApprovalAction = 'approve' | 'skip';

export interface ApprovalClaims {
  editionId: string;
  action: ApprovalAction;
  /** The address the approval email was sent to: the audit log's actor. */
  editor: string;
  expiresAt: Date;
}

const ACTIONS: readonly ApprovalAction[] = ['approve', 'skip'];

export function signApprovalToken(claims: ApprovalClaims, secret: string): string {
  const expiry = Math.floor(claims.expiresAt.getTime() / 1000);
  return signPayload(`a:${JSON.stringify([claims.editionId, claims.action, claims.editor, expiry])}`, secret);
}

/** The claims of a valid token (expired or not: the caller compares with its clock); null for anything forged or malformed. */
export function verifyApprovalToken(token: string, secret: string): ApprovalClaims | null {
  const payload = verifiedPayload(token, secret, 1024);
  if (payload === null || !payload.startsWith('a:')) return null;
  let parts: unknown;
  try {
    parts = JSON.parse(payload.slice(2));
  } catch {
    return null;
  }
  if (!Array.isArray(parts) || parts.length !== 4) return null;
  const [editionId, action, editor, expiry] = parts as unknown[];
  if (typeof editionId !== 'string' || typeof editor !== 'string' || typeof expiry !== 'number') return null;
  if (!ACTIONS.includes(action as ApprovalAction)) return null;
  return { editionId, action: action as ApprovalAction, editor, expiresAt: new Date(expiry * 1000) };
}

/** What the store keeps of a used token: its hash, never the token. */
export function approvalTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `<web.baseUrl>/a/<token>` for each action, for one editor and edition. */
export function approvalUrls(
  baseUrl: string,
  secret: string,
  claims: Omit<ApprovalClaims, 'action'>,
): Record<ApprovalAction, string> {
  const base = baseUrl.replace(/\/+$/, '');
  const url = (action: ApprovalAction) => `${base}/a/${signApprovalToken({ ...claims, action }, secret)}`;
  return { approve: url('approve'), skip: url('skip') };
}
