import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidingsProcessArgs } from '../helpers/cli-process.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/tidings.js');

describe('the tidings executable', () => {
  const tempDir = useTempDir();

  it('tells to run the build when dist/ is missing, with exit 2', () => {
    // A copy of bin/ beside no dist/: what a clone looks like before `npm run build`.
    const project = tempDir();
    mkdirSync(path.join(project, 'bin'));
    copyFileSync(BIN, path.join(project, 'bin', 'tidings.js'));
    const run = spawnSync(process.execPath, [path.join(project, 'bin', 'tidings.js'), '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/compiled CLI is missing .*dist[/\\]bundle[/\\]entry\.js/);
    expect(run.stderr).toMatch(/npm run build/);
  });

  it('starts from the sources as a separate process (the way tests spawn it) and answers --help', () => {
    const run = spawnSync(process.execPath, tidingsProcessArgs('--help'), { encoding: 'utf8', cwd: tempDir() });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Usage: tidings/);
    expect(run.stdout).toMatch(/ingest/);
  });

  it('lists editions on a fresh store without a terminal, exit 0, nothing on stdout', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'tidings.config.yaml'), 'store: { path: data/t.db }\n');
    const run = spawnSync(process.execPath, tidingsProcessArgs('edition', 'list'), { encoding: 'utf8', cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
  });
});
