import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { SourceError } from '../../core/errors.ts';

/** The file types a folder source reads; everything else in the folder is ignored. */
export const FOLDER_EXTENSIONS: ReadonlySet<string> = new Set([
  '.json',
  '.md',
  '.markdown',
  '.html',
  '.htm',
  '.txt',
  '.xml',
]);

/**
 * The files of a folder source: recursive, hidden files and folders skipped, sorted by
 * relative path (code-unit order, so every machine lists them the same way).
 * Symbolic links to files are followed; links to folders are not (no cycles).
 */
export async function listFolderFiles(dir: string): Promise<string[]> {
  let info: Stats;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'folder does not exist' : `cannot open folder (${code ?? String(error)})`;
    throw new SourceError('SOURCE_FETCH', reason, { where: dir, cause: error });
  }
  if (!info.isDirectory()) throw new SourceError('SOURCE_FETCH', 'is not a folder', { where: dir });

  const files: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (FOLDER_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => null))?.isFile()))
          files.push(path);
      }
    }
  };
  await walk(dir);
  const key = (path: string) => relative(dir, path).split(sep).join('/');
  return files.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
