import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { readCsvSubscriberRows } from './csv-subscriber-rows.ts';
import type { SubscriberFileProblem, SubscriberRowItem } from './subscriber-file-problem.ts';
import type { SubscriberCatalog } from './subscriber-row.ts';
import { readYamlSubscriberRows } from './yaml-subscriber-rows.ts';

const READERS: Record<string, typeof readCsvSubscriberRows> = {
  '.csv': readCsvSubscriberRows,
  '.yaml': readYamlSubscriberRows,
  '.yml': readYamlSubscriberRows,
};

/**
 * The list files under the given paths, in a stable order: the paths in the order
 * given, a folder's files by name (not recursive, hidden files ignored). Order matters:
 * when an address is listed twice, the later file's fields win.
 */
export async function listSubscriberFiles(
  paths: readonly string[],
): Promise<{ files: string[]; problems: SubscriberFileProblem[] }> {
  const files: string[] = [];
  const problems: SubscriberFileProblem[] = [];
  for (const given of paths) {
    let info: Stats;
    try {
      info = await stat(given);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message;
      problems.push({ file: given, line: 0, message: reason });
      continue;
    }
    if (info.isDirectory()) {
      const names = (await readdir(given))
        .filter((name) => !name.startsWith('.') && READERS[path.extname(name).toLowerCase()])
        .sort();
      // An empty folder is far more likely a wrong path than "nobody subscribes": say so,
      // so that a sync does not mark everybody removed.
      if (names.length === 0)
        problems.push({ file: given, line: 0, message: 'no .yaml, .yml or .csv lists in this folder' });
      for (const name of names) files.push(path.join(given, name));
    } else if (READERS[path.extname(given).toLowerCase()]) {
      files.push(given);
    } else {
      problems.push({ file: given, line: 0, message: 'not a subscriber list: expected a .yaml, .yml or .csv file' });
    }
  }
  return { files: [...new Set(files)], problems };
}

/**
 * Streams every row of every list, valid or not, in file order. With a catalog,
 * newsletter ids and categories are checked against the configuration too.
 */
export async function* readSubscriberRows(
  paths: readonly string[],
  catalog: SubscriberCatalog | null = null,
): AsyncGenerator<SubscriberRowItem> {
  const { files, problems } = await listSubscriberFiles(paths);
  for (const problem of problems) yield { error: problem, email: null, wholeFile: true };
  for (const file of files) {
    const read = READERS[path.extname(file).toLowerCase()]!;
    try {
      yield* read(file, catalog);
    } catch (error) {
      yield {
        error: { file, line: 0, message: `cannot read: ${(error as Error).message}` },
        email: null,
        wholeFile: true,
      };
    }
  }
}
