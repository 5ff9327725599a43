import type { Clock } from '../core/clock.ts';
import { TidingsError } from '../core/errors.ts';
import type { AuditLog } from '../editions/audit-log.ts';
import { normalizeEmailAddress } from '../subscribers/email-address.ts';
import type { Editor, EditorRole, EditorStore, LoginThrottle } from './editor-store.ts';
import { generatePassword, hashPassword } from './password-hash.ts';

export const MIN_PASSWORD_LENGTH = 10;

/** Managing desk accounts (`tidings editor …`, and admins on the desk); every change is audit-logged. */
export class EditorAccounts {
  readonly #deps: { editors: EditorStore; audit: AuditLog; clock: Clock };
  readonly #actor: string;

  constructor(deps: { editors: EditorStore; audit: AuditLog; clock: Clock }, actor: string) {
    this.#deps = deps;
    this.#actor = actor;
  }

  async #log(action: string, details: Record<string, unknown>): Promise<void> {
    await this.#deps.audit.record({
      at: this.#deps.clock.now().toISOString(),
      actor: this.#actor,
      action,
      newsletterId: null,
      editionId: null,
      details,
    });
  }

  async #passwordHash(password: string | null): Promise<{ hash: string; oneTime: string | null }> {
    if (password !== null && password.length < MIN_PASSWORD_LENGTH) {
      throw new TidingsError('INPUT_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const oneTime = password === null ? generatePassword() : null;
    return { hash: await hashPassword(password ?? oneTime!), oneTime };
  }

  /** Adds an account; without a password, returns a generated one-time password to hand over. */
  async add(
    name: string,
    email: string,
    role: EditorRole,
    password: string | null,
  ): Promise<{ editor: Editor; oneTimePassword: string | null }> {
    if (!/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u.test(name)) {
      throw new TidingsError(
        'INPUT_INVALID',
        `name "${name}": letters, digits, spaces, dots, dashes or underscores, at most 64`,
      );
    }
    const checked = normalizeEmailAddress(email);
    if (!checked.ok) throw new TidingsError('INPUT_INVALID', `email "${email}": ${checked.reason}`);
    if ((await this.#deps.editors.findEditor(name)) || (await this.#deps.editors.findEditor(checked.address))) {
      throw new TidingsError('INPUT_INVALID', `an editor named "${name}" or with ${checked.address} exists already`);
    }
    const { hash, oneTime } = await this.#passwordHash(password);
    const editor = await this.#deps.editors.addEditor({
      name,
      email: checked.address,
      role,
      passwordHash: hash,
      createdAt: this.#deps.clock.now().toISOString(),
    });
    await this.#log('editor.add', { name, email: checked.address, role });
    return { editor, oneTimePassword: oneTime };
  }

  list(): Promise<Editor[]> {
    return this.#deps.editors.listEditors();
  }

  /** Addresses blocked from logging in to an account right now, with the account's name. */
  async lockouts(): Promise<(LoginThrottle & { name: string })[]> {
    const now = this.#deps.clock.now().getTime();
    const names = new Map((await this.#deps.editors.listEditors()).map((e) => [e.id, e.name]));
    return (await this.#deps.editors.listLoginThrottles())
      .filter((t) => t.blockedUntil !== null && Date.parse(t.blockedUntil) > now && names.has(t.editorId))
      .map((t) => ({ ...t, name: names.get(t.editorId)! }));
  }

  /** Lifts the lockouts of an account (from one address, or every one); returns how many were lifted. */
  async liftLockouts(nameOrEmail: string, address?: string): Promise<number> {
    const editor = await this.#find(nameOrEmail);
    const lifted = await this.#deps.editors.clearLoginThrottles(editor.id, address);
    await this.#log('editor.unlock', { name: editor.name, ...(address ? { address } : {}), lifted });
    return lifted;
  }

  async #find(nameOrEmail: string): Promise<Editor> {
    const editor = await this.#deps.editors.findEditor(nameOrEmail);
    if (!editor) throw new TidingsError('INPUT_INVALID', `no editor "${nameOrEmail}" (see: tidings editor list)`);
    return editor;
  }

  async remove(nameOrEmail: string): Promise<Editor> {
    const editor = await this.#find(nameOrEmail);
    await this.#deps.editors.removeEditor(editor.id);
    await this.#log('editor.remove', { name: editor.name });
    return editor;
  }

  /** A new password ends the account's sessions and lifts a lockout. */
  async resetPassword(
    nameOrEmail: string,
    password: string | null,
  ): Promise<{ editor: Editor; oneTimePassword: string | null }> {
    const editor = await this.#find(nameOrEmail);
    const { hash, oneTime } = await this.#passwordHash(password);
    await this.#deps.editors.setPassword(editor.id, hash);
    await this.#log('editor.reset-password', { name: editor.name });
    return { editor, oneTimePassword: oneTime };
  }
}
