import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/core/errors.ts';
import { listFolderFiles } from '../../src/ingest/folder/list-folder-files.ts';
import { useTempDir } from '../helpers/temp-dir.ts';

const folder = join(import.meta.dirname, '..', 'fixtures', 'folder');

describe('listFolderFiles', () => {
  const tempDir = useTempDir('tidings-folder-');
  it('lists the readable files recursively, sorted, without hidden ones', async () => {
    const files = await listFolderFiles(folder);
    expect(files.map((file) => relative(folder, file))).toEqual([
      'archive/2024/2024-05-01-river-festival.md',
      'archive/library-hours.txt',
      'archive/quay.html',
      'articles.json',
      'ferry-timetable.markdown',
    ]);
  });

  it('follows links to files but not to folders (no cycles)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'B.HTM'), '<p>x</p>');
    writeFileSync(join(dir, 'a.xml'), '<rss/>');
    symlinkSync(join(dir, 'a.xml'), join(dir, 'link.xml'));
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    const files = await listFolderFiles(dir);
    expect(files.map((file) => relative(dir, file))).toEqual(['a.xml', 'link.xml', 'sub/B.HTM']);
  });

  it('says clearly when the folder does not exist or is a file', async () => {
    await expect(listFolderFiles(join(folder, 'missing'))).rejects.toThrow(SourceError);
    await expect(listFolderFiles(join(folder, 'missing'))).rejects.toThrow(/missing: folder does not exist/);
    await expect(listFolderFiles(join(folder, 'articles.json'))).rejects.toThrow(/articles\.json: is not a folder/);
  });
});
