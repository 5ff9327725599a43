import { describe, expect, it } from 'vitest';
import { useStore, type OpenStore } from './stores.ts';

const createdAt = '2026-11-28T06:00:00.000Z';

/** The editors port (src/editors/editor-store.ts): accounts, lockout counters, hashed sessions. */
export function editorStoreContract(name: string, open: OpenStore): void {
  describe(`${name}: editors`, () => {
    const store = useStore(open);

    it('adds accounts with lower-cased emails and finds them by name or email, whatever the case', async () => {
      const { editors } = store();
      const alice = await editors.addEditor({
        name: 'Alice',
        email: 'Alice@Example.ORG',
        role: 'admin',
        passwordHash: 'scrypt$a',
        createdAt,
      });
      expect(alice).toEqual({
        id: alice.id,
        name: 'Alice',
        email: 'alice@example.org',
        role: 'admin',
        passwordHash: 'scrypt$a',
        failedLogins: 0,
        lockedUntil: null,
        createdAt,
      });
      const bob = await editors.addEditor({
        name: 'bob',
        email: 'bob@example.org',
        role: 'editor',
        passwordHash: 'scrypt$b',
        createdAt,
      });
      expect(bob.id).not.toBe(alice.id);
      expect((await editors.findEditor('alice'))?.id).toBe(alice.id);
      expect((await editors.findEditor('ALICE@example.org'))?.id).toBe(alice.id);
      expect(await editors.findEditor('carol')).toBeNull();
      expect(await editors.getEditor(bob.id)).toEqual(bob);
      expect(await editors.getEditor(9999)).toBeNull();
      expect((await editors.listEditors()).map((e) => e.name)).toEqual(['Alice', 'bob']);
      await expect(
        editors.addEditor({ name: 'Alice', email: 'other@example.org', role: 'editor', passwordHash: 'x', createdAt }),
      ).rejects.toMatchObject({
        code: 'STORE_FAILED',
      });
    });

    it('counts failed logins, locks, and clears; a new password lifts the lock and ends sessions', async () => {
      const { editors } = store();
      const alice = await editors.addEditor({
        name: 'alice',
        email: 'a@example.org',
        role: 'editor',
        passwordHash: 'old',
        createdAt,
      });
      expect(await editors.recordFailedLogin(alice.id, null)).toBe(1);
      expect(await editors.recordFailedLogin(alice.id, '2026-11-28T06:15:00.000Z')).toBe(2);
      expect(await editors.recordFailedLogin(alice.id, null)).toBe(3);
      expect(await editors.getEditor(alice.id)).toMatchObject({
        failedLogins: 3,
        lockedUntil: '2026-11-28T06:15:00.000Z',
      });
      await editors.clearFailedLogins(alice.id);
      expect(await editors.getEditor(alice.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
      expect(await editors.recordFailedLogin(9999, null)).toBe(0);

      await editors.createSession('hash-1', {
        editorId: alice.id,
        csrfToken: 'csrf',
        createdAt,
        lastSeenAt: createdAt,
      });
      await editors.recordFailedLogin(alice.id, '2026-11-28T07:00:00.000Z');
      await editors.setPassword(alice.id, 'new');
      expect(await editors.getEditor(alice.id)).toMatchObject({
        passwordHash: 'new',
        failedLogins: 0,
        lockedUntil: null,
      });
      expect(await editors.getSession('hash-1')).toBeNull();
    });

    it('counts login failures per (account, address), blocks one address, and clears by address, by account, or with a new password', async () => {
      const { editors } = store();
      const alice = await editors.addEditor({
        name: 'alice',
        email: 'a@example.org',
        role: 'editor',
        passwordHash: 'old',
        createdAt,
      });
      const bob = await editors.addEditor({
        name: 'bob',
        email: 'b@example.org',
        role: 'editor',
        passwordHash: 'old',
        createdAt,
      });
      expect(await editors.recordLoginFailure(alice.id, '203.0.113.7', '2026-11-28T06:01:00.000Z')).toBe(1);
      expect(await editors.recordLoginFailure(alice.id, '203.0.113.7', '2026-11-28T06:02:00.000Z')).toBe(2);
      expect(await editors.recordLoginFailure(alice.id, '2001:db8::1', '2026-11-28T06:03:00.000Z')).toBe(1);
      expect(await editors.recordLoginFailure(bob.id, '203.0.113.7', '2026-11-28T06:04:00.000Z')).toBe(1);
      await editors.blockLogin(alice.id, '203.0.113.7', '2026-11-28T06:15:00.000Z');
      expect(await editors.getLoginThrottle(alice.id, '203.0.113.7')).toEqual({
        editorId: alice.id,
        address: '203.0.113.7',
        failures: 2,
        blockedUntil: '2026-11-28T06:15:00.000Z',
        lastFailureAt: '2026-11-28T06:02:00.000Z',
      });
      expect(await editors.getLoginThrottle(alice.id, '10.0.0.1')).toBeNull();
      expect((await editors.listLoginThrottles()).map((t) => `${t.editorId}:${t.address}`)).toEqual([
        `${alice.id}:2001:db8::1`,
        `${alice.id}:203.0.113.7`,
        `${bob.id}:203.0.113.7`,
      ]);
      expect(await editors.clearLoginThrottles(alice.id, '2001:db8::1')).toBe(1);
      expect(await editors.clearLoginThrottles(alice.id, '2001:db8::1')).toBe(0);
      await editors.setPassword(alice.id, 'new');
      expect((await editors.listLoginThrottles()).map((t) => t.editorId)).toEqual([bob.id]);
      expect(await editors.clearLoginThrottles(bob.id)).toBe(1);
      await editors.recordLoginFailure(bob.id, '203.0.113.7', '2026-11-28T06:05:00.000Z');
      await editors.removeEditor(bob.id);
      expect(await editors.listLoginThrottles()).toEqual([]);
    });

    it('keeps sessions by hash: touch, delete, and removing the account removes its sessions', async () => {
      const { editors } = store();
      const alice = await editors.addEditor({
        name: 'alice',
        email: 'a@example.org',
        role: 'editor',
        passwordHash: 'h',
        createdAt,
      });
      await editors.createSession('h1', { editorId: alice.id, csrfToken: 'c1', createdAt, lastSeenAt: createdAt });
      await editors.createSession('h2', { editorId: alice.id, csrfToken: 'c2', createdAt, lastSeenAt: createdAt });
      await editors.touchSession('h1', '2026-11-28T08:00:00.000Z');
      expect(await editors.getSession('h1')).toEqual({
        editorId: alice.id,
        csrfToken: 'c1',
        createdAt,
        lastSeenAt: '2026-11-28T08:00:00.000Z',
      });
      await editors.deleteSession('h1');
      expect(await editors.getSession('h1')).toBeNull();
      await editors.removeEditor(alice.id);
      expect(await editors.getEditor(alice.id)).toBeNull();
      expect(await editors.getSession('h2')).toBeNull();
    });
  });
}
