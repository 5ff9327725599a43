import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The import graph between the top folders of a source tree (src/app, src/core, …),
 * read from the sources with TypeScript's own import scanner (static, `export … from`
 * and dynamic `import()`), so a test can hold the layering documented in
 * docs/design-notes.md.
 */
export interface FolderImport {
  /** The importing file and the imported module, relative to the root. */
  file: string;
  module: string;
  from: string;
  to: string;
}

export function folderImports(root: string): FolderImport[] {
  const imports: FolderImport[] = [];
  for (const file of sourceFiles(root)) {
    const from = topFolder(root, file);
    const scanned = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of scanned.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      const to = topFolder(root, target);
      if (to === from || to.startsWith('..')) continue;
      imports.push({ file: path.relative(root, file), module: path.relative(root, target), from, to });
    }
  }
  return imports;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function topFolder(root: string, file: string): string {
  return path.relative(root, file).split(path.sep)[0] ?? '';
}

/** The folders of each circle (strongly connected set of more than one folder), found with Tarjan's algorithm. */
export function folderCircles(imports: readonly FolderImport[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    if (!next.has(from)) next.set(from, new Set());
    if (!next.has(to)) next.set(to, new Set());
    next.get(from)?.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (folder: string): void => {
    index.set(folder, index.size);
    low.set(folder, index.get(folder) ?? 0);
    stack.push(folder);
    for (const target of next.get(folder) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(folder, Math.min(low.get(folder) ?? 0, low.get(target) ?? 0));
      } else if (stack.includes(target)) low.set(folder, Math.min(low.get(folder) ?? 0, index.get(target) ?? 0));
    }
    if (low.get(folder) !== index.get(folder)) return;
    const members: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member) members.push(member);
    } while (member && member !== folder);
    if (members.length > 1) circles.push(members.sort());
  };
  for (const folder of [...next.keys()].sort()) if (!index.has(folder)) visit(folder);
  return circles;
}

/**
 * Imports that run back up the layers (lowest first; folders in one layer are peers):
 * each importing folder and imported module counted once, however many files share it.
 */
export function upwardImports(imports: readonly FolderImport[], layers: readonly (readonly string[])[]): string[] {
  const rank = new Map(layers.flatMap((layer, at) => layer.map((folder) => [folder, at] as const)));
  const upward = new Set<string>();
  for (const { from, to, module } of imports) {
    if ((rank.get(from) ?? -1) < (rank.get(to) ?? -1)) upward.add(`${from} → ${module}`);
  }
  return [...upward].sort();
}
