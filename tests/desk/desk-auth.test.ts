import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeskAuth, csrfMatches } from '../../src/editors/desk-auth.ts';
import { EditorAccounts } from '../../src/editors/editor-accounts.ts';
import { hashPassword, verifyPassword } from '../../src/editors/password-hash.ts';
import { parseConfig } from '../../src/config/load-config.ts';
import { createFixedClock } from '../../src/core/clock.ts';
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite-store.ts';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';
import { writeFileSync } from 'node:fs';

describe('desk accounts and sessions', () => {
  const tempDir = useTempDir();

  function setup(desk: Record<string, unknown> = {}) {
    const store = openSqliteStore(path.join(tempDir(), 'd.db'));
    const clock = createFixedClock('2026-11-28T06:00:00Z');
    const config = parseConfig({ desk }, {});
    const deps = { editors: store.editors, audit: store.audit, clock };
    // The real scrypt check, counted: every answer must have cost one hash.
    const checked: string[] = [];
    const checkPassword = async (password: string, stored: string) => {
      checked.push(stored);
      return verifyPassword(password, stored);
    };
    return {
      store,
      clock,
      checked,
      accounts: new EditorAccounts(deps, 'cli'),
      auth: new DeskAuth({ ...deps, checkPassword }, config.desk),
    };
  }

  it('hashes with scrypt, a salt per password and the parameters stored; verifies in constant time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(csrfMatches('abc', 'abc')).toBe(true);
    expect(csrfMatches('abc', 'abd')).toBe(false);
    expect(csrfMatches('abc', undefined)).toBe(false);
  });

  it('logs in by name or email with a new session each time; the old one ends; sessions expire when idle', async () => {
    const { store, clock, accounts, auth } = setup({ sessionIdle: '1h' });
    await accounts.add('Alice', 'alice@example.org', 'editor', 'a long password');
    const first = await auth.login('alice@EXAMPLE.org', 'a long password', '10.0.0.1');
    if (!first.ok) throw new Error('login failed');
    const second = await auth.login('Alice', 'a long password', '10.0.0.1', first.sessionId);
    if (!second.ok) throw new Error('login failed');
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(await auth.resume(first.sessionId)).toBeNull(); // rotated at login
    expect((await auth.resume(second.sessionId))?.editor.name).toBe('Alice');
    clock.advance(59 * 60_000);
    expect(await auth.resume(second.sessionId)).not.toBeNull(); // use keeps it alive
    clock.advance(61 * 60_000);
    expect(await auth.resume(second.sessionId)).toBeNull();
    const log = await store.audit.list({});
    expect(log.filter((e) => e.action === 'login').map((e) => e.actor)).toEqual(['Alice', 'Alice']);
    store.close();
  });

  it('answers an unknown name, a wrong password and a blocked address alike, each after a hash', async () => {
    const { store, checked, accounts, auth } = setup({ lockoutFor: '10m', loginPerMinute: 30 });
    await accounts.add('Bob', 'bob@example.org', 'editor', 'bobs password 1');
    const stranger = '203.0.113.7';
    const unknown = await auth.login('nobody-here', 'guess', stranger);
    const wrong = await auth.login('bob', 'guess', stranger);
    for (let i = 0; i < 4; i++) await auth.login('bob', 'guess', stranger);
    // Now blocked from that address: even the right password gets the same answer.
    const blocked = await auth.login('bob', 'bobs password 1', stranger);
    expect(unknown).toEqual({ ok: false, reason: 'invalid' });
    expect(wrong).toEqual(unknown);
    expect(blocked).toEqual(unknown);
    expect(checked).toHaveLength(7);
    expect(checked[0]).toMatch(/^scrypt\$16384\$8\$1\$/);
    store.close();
  });

  it('blocks only the address that failed, with growing waits; the owner elsewhere logs in; admins lift it', async () => {
    const { store, clock, accounts, auth } = setup({ lockoutFor: '10m', loginPerMinute: 30 });
    await accounts.add('Bob', 'bob@example.org', 'editor', 'bobs password 1');
    const stranger = '203.0.113.7';
    for (let i = 0; i < 5; i++)
      expect(await auth.login('bob', 'wrong', stranger)).toEqual({ ok: false, reason: 'invalid' });
    expect((await auth.login('bob', 'bobs password 1', '10.0.0.1')).ok).toBe(true);
    expect((await accounts.lockouts()).map((l) => `${l.name} ${l.address} ${l.blockedUntil}`)).toEqual([
      'Bob 203.0.113.7 2026-11-28T06:10:00.000Z',
    ]);
    expect((await auth.login('bob', 'bobs password 1', stranger)).ok).toBe(false);
    clock.advance(11 * 60_000);
    // The wait ran out; one more failure blocks the address again, twice as long.
    expect(await auth.login('bob', 'wrong', stranger)).toEqual({ ok: false, reason: 'invalid' });
    expect((await accounts.lockouts())[0]!.blockedUntil).toBe('2026-11-28T06:31:00.000Z');
    clock.advance(19 * 60_000);
    expect((await auth.login('bob', 'bobs password 1', stranger)).ok).toBe(false);
    expect(await accounts.liftLockouts('bob', stranger)).toBe(1);
    expect((await auth.login('bob', 'bobs password 1', stranger)).ok).toBe(true);
    const actions = (await store.audit.list({})).map((e) => `${e.actor}:${e.action}`);
    expect(actions).toContain('Bob:login.lockout');
    expect(actions).toContain('Bob:login.blocked');
    expect(actions).toContain('cli:editor.unlock');

    const limited = setup({ loginPerMinute: 3 });
    await limited.accounts.add('Cy', 'cy@example.org', 'editor', 'cys password 1');
    for (let i = 0; i < 3; i++) await limited.auth.login('nobody', 'x', '192.0.2.1');
    expect(await limited.auth.login('Cy', 'cys password 1', '192.0.2.1')).toEqual({
      ok: false,
      reason: 'rate-limited',
    });
    expect((await limited.auth.login('Cy', 'cys password 1', '192.0.2.2')).ok).toBe(true);
    limited.clock.advance(61_000);
    expect((await limited.auth.login('Cy', 'cys password 1', '192.0.2.1')).ok).toBe(true);
    store.close();
    limited.store.close();
  });

  it('tidings editor add|list|reset-password|remove: stdin or a one-time password; a reset ends sessions', async () => {
    const dir = tempDir();
    const config = path.join(dir, 'tidings.config.yaml');
    writeFileSync(config, 'store:\n  path: t.db\n');
    const cli = (args: string[], stdin = '') =>
      runCli(['-q', '-c', config, ...args], {}, '2026-11-28T06:00:00Z', stdin);
    const added = await cli(
      ['editor', 'add', 'Dana', 'dana@example.org', '--admin', '--password-stdin'],
      'danas secret pw\n',
    );
    expect(added).toMatchObject({ code: 0, out: 'added admin Dana <dana@example.org>\n' });
    const oneTime = await cli(['editor', 'add', 'Eli', 'eli@example.org']);
    const password = /one-time password for Eli: (\S+)/.exec(oneTime.out)![1]!;
    expect(password).toHaveLength(20);
    expect((await cli(['editor', 'add', 'Eli', 'other@example.org'])).code).toBe(2);
    expect((await cli(['editor', 'add', 'Fay', 'fay@example.org', '--password-stdin'], 'short\n')).err).toMatch(
      /at least 10 characters/,
    );
    const listed = JSON.parse((await cli(['editor', 'list', '--json'])).out) as {
      name: string;
      role: string;
      passwordHash?: string;
    }[];
    expect(listed.map((e) => `${e.name}:${e.role}`)).toEqual(['Dana:admin', 'Eli:editor']);
    expect(listed.every((e) => e.passwordHash === undefined)).toBe(true);

    const store = openSqliteStore(path.join(dir, 't.db'));
    const clock = createFixedClock('2026-11-28T06:00:00Z');
    const auth = new DeskAuth({ editors: store.editors, audit: store.audit, clock }, parseConfig({}, {}).desk);
    for (let i = 0; i < 5; i++) await auth.login('Eli', 'not the password', '198.51.100.4');
    expect((await cli(['editor', 'list'])).out).toMatch(
      /^Eli +editor eli@example.org {2}\(locked for 198\.51\.100\.4 until 2026-11-28T06:15:00\.000Z\)$/m,
    );
    expect((await cli(['editor', 'unlock', 'Eli'])).out).toBe('lifted 1 lockout of Eli\n');
    expect((await cli(['editor', 'list'])).out).not.toMatch(/locked/);
    const session = await auth.login('Eli', password, '127.0.0.1');
    if (!session.ok) throw new Error('one-time password refused');
    expect((await cli(['editor', 'reset-password', 'eli@example.org'])).out).toMatch(/one-time password for Eli/);
    expect(await auth.resume(session.sessionId)).toBeNull();
    expect((await cli(['editor', 'remove', 'Eli'])).out).toBe('removed Eli\n');
    expect((await cli(['editor', 'remove', 'Eli'])).code).toBe(2);
    expect((await store.audit.list({})).map((e) => `${e.actor}:${e.action}`)).toContain('cli:editor.remove');
    store.close();
  });
});
