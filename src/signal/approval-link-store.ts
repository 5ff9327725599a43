/**
 * The buttons of the editors' approval email (src/app/approvals/approval-links.ts) are
 * single-use: each one used is recorded here by the hash of its token, so a second POST
 * of the same button (a reload, a forwarded email) acts no more.
 */
export interface UsedApprovalLink {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  tokenHash: string;
  editionId: string;
  action: string;
  /** The editor the link was sent to. */
  editor: string;
  usedAt: string;
}

export interface ApprovalLinkStore {
  /** Records the use; false when the token was used before (nothing is changed then). */
  markUsed(use: UsedApprovalLink): Promise<boolean>;
  /** The recorded use of a token, or null. */
  findUse(tokenHash: string): Promise<UsedApprovalLink | null>;
}
