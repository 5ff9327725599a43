import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeskConfig } from '../../config/schema.ts';
import type { Clock } from '../../core/clock.ts';
import type { AuditLog } from '../../editions/audit-log.ts';
import type { Editor, EditorStore } from './editor-store.ts';
import { verifyPassword } from './password-hash.ts';

export type LoginResult =
  | { ok: true; sessionId: string; csrfToken: string; editor: Editor }
  | { ok: false; reason: 'invalid' | 'locked' | 'rate-limited' };

export interface ActiveSession {
  editor: Editor;
  csrfToken: string;
}

// A hash to compare against when the account does not exist, so an unknown name costs
// the same time as a wrong password and the login page does not reveal who has an account.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

const hashId = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/**
 * Logins and sessions of the desk. Session ids are 32 random bytes, stored only as a
 * SHA-256; a new id at every login (the old one, if any, is ended); a session unused for
 * `sessionIdle` expires. Each session has its own CSRF token (synchronizer token).
 * `lockoutAfter` failed logins in a row lock the account for `lockoutFor`; one address
 * gets `loginPerMinute` attempts whatever the account.
 */
export class DeskAuth {
  readonly #store: EditorStore;
  readonly #audit: AuditLog;
  readonly #clock: Clock;
  readonly #options: DeskConfig;
  readonly #attemptsByAddress = new Map<string, number[]>();

  constructor(deps: { editors: EditorStore; audit: AuditLog; clock: Clock }, options: DeskConfig) {
    this.#store = deps.editors;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#options = options;
  }

  #allowAttempt(address: string): boolean {
    const now = this.#clock.now().getTime();
    const recent = (this.#attemptsByAddress.get(address) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= this.#options.loginPerMinute) {
      this.#attemptsByAddress.set(address, recent);
      return false;
    }
    recent.push(now);
    this.#attemptsByAddress.set(address, recent);
    // Bounded memory: forget addresses with nothing in the last minute.
    if (this.#attemptsByAddress.size > 10_000) {
      for (const [key, times] of this.#attemptsByAddress) if (!times.some((at) => now - at < 60_000)) this.#attemptsByAddress.delete(key);
    }
    return true;
  }

  async #log(actor: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.#audit.record({ at: this.#clock.now().toISOString(), actor, action, newsletterId: null, editionId: null, details });
  }

  async login(identifier: string, password: string, address: string, previousSessionId?: string): Promise<LoginResult> {
    if (!this.#allowAttempt(address)) {
      await this.#log(identifier.slice(0, 200), 'login.rate-limited', { address });
      return { ok: false, reason: 'rate-limited' };
    }
    const now = this.#clock.now();
    const editor = await this.#store.findEditor(identifier.trim());
    if (editor?.lockedUntil && Date.parse(editor.lockedUntil) > now.getTime()) {
      await this.#log(editor.name, 'login.locked', { address });
      return { ok: false, reason: 'locked' };
    }
    const matches = await verifyPassword(password, editor?.passwordHash ?? DUMMY_HASH);
    if (!editor || !matches) {
      if (editor) {
        // A lock that has run out starts a fresh count.
        if (editor.lockedUntil) await this.#store.clearFailedLogins(editor.id);
        const failures = (editor.lockedUntil ? 0 : editor.failedLogins) + 1;
        const lock = failures >= this.#options.lockoutAfter ? new Date(now.getTime() + this.#options.lockoutFor).toISOString() : null;
        await this.#store.recordFailedLogin(editor.id, lock);
        await this.#log(editor.name, lock ? 'login.lockout' : 'login.failed', { address, failures });
        if (lock) return { ok: false, reason: 'locked' };
      } else {
        await this.#log(identifier.slice(0, 200), 'login.failed', { address, unknownAccount: true });
      }
      return { ok: false, reason: 'invalid' };
    }
    await this.#store.clearFailedLogins(editor.id);
    if (previousSessionId) await this.#store.deleteSession(hashId(previousSessionId));
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const stamp = now.toISOString();
    await this.#store.createSession(hashId(sessionId), { editorId: editor.id, csrfToken, createdAt: stamp, lastSeenAt: stamp });
    await this.#log(editor.name, 'login', { address });
    return { ok: true, sessionId, csrfToken, editor };
  }

  /** The session behind a cookie value, or null when unknown, expired by idleness, or its account is gone. */
  async resume(sessionId: string | undefined): Promise<ActiveSession | null> {
    if (!sessionId) return null;
    const idHash = hashId(sessionId);
    const session = await this.#store.getSession(idHash);
    if (!session) return null;
    const now = this.#clock.now();
    if (now.getTime() - Date.parse(session.lastSeenAt) > this.#options.sessionIdle) {
      await this.#store.deleteSession(idHash);
      return null;
    }
    const editor = await this.#store.getEditor(session.editorId);
    if (!editor) return null;
    await this.#store.touchSession(idHash, now.toISOString());
    return { editor, csrfToken: session.csrfToken };
  }

  async logout(sessionId: string, editor: Editor): Promise<void> {
    await this.#store.deleteSession(hashId(sessionId));
    await this.#log(editor.name, 'logout', {});
  }
}

/** Constant-time check of a form's CSRF token against the session's. */
export function csrfMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}
