import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-run.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const tempDir = useTempDir('keygen-');

/** Keygen needs no configuration beyond what the CLI always loads: a minimal file. */
function configIn(dir: string): string {
  const file = path.join(dir, 'tidings.config.yaml');
  writeFileSync(file, 'store:\n  path: ":memory:"\n');
  return file;
}

describe('tidings dkim keygen', () => {
  it('writes a 2048-bit key with mode 0600 and prints the TXT record of its public key', async () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'keys', 'tid1.pem');
    const { code, out } = await runCli([
      '-c',
      configIn(dir),
      'dkim',
      'keygen',
      '--selector',
      'tid1',
      '--domain',
      'Digest.Example.test',
      '--out',
      keyFile,
    ]);
    expect(code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const record = /tid1\._domainkey\.digest\.example\.test\. IN TXT \(([\s\S]*?)\)/.exec(out);
    expect(record).not.toBeNull();
    const value = [...record![1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
    for (const part of record![1]!.matchAll(/"([^"]*)"/g)) expect(part[1]!.length).toBeLessThanOrEqual(255);
    const published = /^v=DKIM1; k=rsa; p=([A-Za-z0-9+/=]+)$/.exec(value)![1]!;
    expect(published).toBe(createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'));
    expect(out).toContain('selector: tid1');
  });

  it('never overwrites a key and refuses names that are not DNS names', async () => {
    const dir = tempDir();
    const keyFile = path.join(dir, 'existing.pem');
    writeFileSync(keyFile, 'keep me');
    const clash = await runCli([
      '-c',
      configIn(dir),
      'dkim',
      'keygen',
      '--selector',
      's1',
      '--domain',
      'example.test',
      '--out',
      keyFile,
    ]);
    expect(clash.code).not.toBe(0);
    expect(clash.err).toMatch(/never overwritten/);
    expect(readFileSync(keyFile, 'utf8')).toBe('keep me');
    const bad = await runCli([
      '-c',
      configIn(dir),
      'dkim',
      'keygen',
      '--selector',
      'a b',
      '--domain',
      'example.test',
      '--out',
      path.join(dir, 'x.pem'),
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--selector must be a DNS name/);
  });
});
