import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeskConfig } from '../config/schema.ts';
import type { Clock } from '../core/clock.ts';
import type { AuditLog } from '../editions/audit-log.ts';
import type { Editor, EditorStore } from './editor-store.ts';
import { verifyPassword } from './password-hash.ts';

export type LoginResult =
  | { ok: true; sessionId: string; csrfToken: string; editor: Editor }
  // One reason for an unknown name, a wrong password and a blocked address alike, so the
  // answer tells a stranger nothing; `rate-limited` is about the address, whatever the name.
  | { ok: false; reason: 'invalid' | 'rate-limited' };

export interface ActiveSession {
  editor: Editor;
  csrfToken: string;
}

// A hash to compare against when the account does not exist, so an unknown name costs
// the same time as a wrong password and the login page does not reveal who has an account.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
/** A block never grows beyond a day, however long a stranger keeps guessing. */
const LONGEST_BLOCK_MS = 86_400_000;

const hashId = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

/** Checks a password against a stored hash (scrypt); injectable so tests can count the checks. */
export type PasswordCheck = (password: string, storedHash: string) => Promise<boolean>;

/**
 * How long an address waits after its `failures`-th failed login in a row on one account:
 * nothing before `lockoutAfter`, then `lockoutFor`, doubled at every further failure.
 */
export function loginBlockMs(failures: number, options: Pick<DeskConfig, 'lockoutAfter' | 'lockoutFor'>): number {
  if (failures < options.lockoutAfter) return 0;
  return Math.min(options.lockoutFor * 2 ** Math.min(failures - options.lockoutAfter, 20), LONGEST_BLOCK_MS);
}

/**
 * Logins and sessions of the desk. Session ids are 32 random bytes, stored only as a
 * SHA-256; a new id at every login (the old one, if any, is ended); a session unused for
 * `sessionIdle` expires. Each session has its own CSRF token (synchronizer token).
 * Failed logins count per (account, client address): after `lockoutAfter` in a row that
 * address waits `lockoutFor`, doubled at each further failure, while the owner's own
 * address is unaffected. An unknown name, a wrong password and a blocked address get
 * the same answer after the same work (a password hash is always computed). One address
 * gets `loginPerMinute` attempts whatever the account.
 */
export class DeskAuth {
  readonly #store: EditorStore;
  readonly #audit: AuditLog;
  readonly #clock: Clock;
  readonly #options: DeskConfig;
  readonly #checkPassword: PasswordCheck;
  readonly #attemptsByAddress = new Map<string, number[]>();

  constructor(
    deps: { editors: EditorStore; audit: AuditLog; clock: Clock; checkPassword?: PasswordCheck },
    options: DeskConfig,
  ) {
    this.#store = deps.editors;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#options = options;
    this.#checkPassword = deps.checkPassword ?? verifyPassword;
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
      for (const [key, times] of this.#attemptsByAddress)
        if (!times.some((at) => now - at < 60_000)) this.#attemptsByAddress.delete(key);
    }
    return true;
  }

  async #log(actor: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.#audit.record({
      at: this.#clock.now().toISOString(),
      actor,
      action,
      newsletterId: null,
      editionId: null,
      details,
    });
  }

  /** Counts a failed login of a known account from `address`, and blocks the address once it has failed too often. */
  async #recordFailure(editor: Editor, address: string, now: Date): Promise<void> {
    const failures = await this.#store.recordLoginFailure(editor.id, address, now.toISOString());
    const blockMs = loginBlockMs(failures, this.#options);
    if (blockMs > 0) await this.#store.blockLogin(editor.id, address, new Date(now.getTime() + blockMs).toISOString());
    await this.#log(editor.name, blockMs > 0 ? 'login.lockout' : 'login.failed', {
      address,
      failures,
      ...(blockMs > 0 ? { blockedForMs: blockMs } : {}),
    });
  }

  async login(identifier: string, password: string, address: string, previousSessionId?: string): Promise<LoginResult> {
    if (!this.#allowAttempt(address)) {
      await this.#log(identifier.slice(0, 200), 'login.rate-limited', { address });
      return { ok: false, reason: 'rate-limited' };
    }
    const now = this.#clock.now();
    const editor = await this.#store.findEditor(identifier.trim());
    const throttle = editor ? await this.#store.getLoginThrottle(editor.id, address) : null;
    const blocked = Boolean(throttle?.blockedUntil && Date.parse(throttle.blockedUntil) > now.getTime());
    // Always hashed, blocked or unknown alike: the time taken tells nothing either.
    const matches = await this.#checkPassword(password, editor?.passwordHash ?? DUMMY_HASH);
    if (!editor || !matches || blocked) {
      if (!editor) await this.#log(identifier.slice(0, 200), 'login.failed', { address, unknownAccount: true });
      else if (blocked)
        await this.#log(editor.name, 'login.blocked', { address, blockedUntil: throttle!.blockedUntil });
      else await this.#recordFailure(editor, address, now);
      return { ok: false, reason: 'invalid' };
    }
    if (throttle) await this.#store.clearLoginThrottles(editor.id, address);
    if (previousSessionId) await this.#store.deleteSession(hashId(previousSessionId));
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const stamp = now.toISOString();
    await this.#store.createSession(hashId(sessionId), {
      editorId: editor.id,
      csrfToken,
      createdAt: stamp,
      lastSeenAt: stamp,
    });
    await this.#log(editor.name, 'login', { address });
    return { ok: true, sessionId, csrfToken, editor };
  }

  /** True when the cookie names a live session (no side effect): the desk's rate-limit budget. */
  async isLive(sessionId: string | undefined): Promise<boolean> {
    if (!sessionId) return false;
    const session = await this.#store.getSession(hashId(sessionId));
    return Boolean(
      session && this.#clock.now().getTime() - Date.parse(session.lastSeenAt) <= this.#options.sessionIdle,
    );
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
  if (typeof given !== 'string') return false;
  // Compare byte lengths, not string lengths: a multibyte token of the same length in
  // characters would make timingSafeEqual throw (and the request answer 500).
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}
