import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderCircles, folderImports, upwardImports } from './folder-graph.ts';

/**
 * The layers of src/, lowest first (docs/design-notes.md, "The layers of src/"): a folder
 * imports only from layers below it. The pipeline reads upward from ingest to delivery;
 * the engines sit above the stages they drive, the store above every port it implements,
 * the app above the store, and the entry points on top.
 */
const LAYERS = [
  ['core'],
  ['config'],
  ['ingest'],
  ['content'],
  ['editions'],
  ['render'],
  ['subscribers'],
  ['delivery'],
  ['access', 'editors', 'schedule', 'signal', 'webhooks', 'worker'],
  ['store'],
  ['app'],
  ['web'],
  ['cli'],
];
const MAX_UPWARD_IMPORTS = 2;
const SRC = path.resolve(import.meta.dirname, '../../src');

describe('the folder layers of src/', () => {
  const imports = folderImports(SRC);

  it('places every folder of src/ in exactly one layer', () => {
    const folders = fs
      .readdirSync(SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(LAYERS.flat().sort()).toEqual(folders);
  });

  it('has no circle between folders', () => {
    const circles = folderCircles(imports);
    const evidence = circles.map((members) =>
      imports
        .filter((edge) => members.includes(edge.from) && members.includes(edge.to))
        .map((edge) => `${edge.file} → ${edge.module}`),
    );
    expect(evidence).toEqual([]);
  });

  it(`has at most ${MAX_UPWARD_IMPORTS} imports that run back up the layers`, () => {
    expect(upwardImports(imports, LAYERS).length, upwardImports(imports, LAYERS).join('\n')).toBeLessThanOrEqual(
      MAX_UPWARD_IMPORTS,
    );
  });
});

describe('the folder graph itself', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tidings-layers-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('low/a.ts', "import type { B } from '../mid/b.ts';\nexport type A = B;\n");
  write('mid/b.ts', "export type B = string;\nexport const load = () => import('../top/c.ts');\n");
  write('top/c.ts', "export { A } from '../low/a.ts';\nimport 'node:fs';\n");
  write('apart/d.ts', "import { x } from './e.ts';\n");

  it('finds static, re-exported and dynamic imports between folders, and no others', () => {
    const edges = folderImports(root).map((edge) => `${edge.from}→${edge.to}`);
    expect(edges.sort()).toEqual(['low→mid', 'mid→top', 'top→low']);
  });

  it('reports a circle through three folders and the upward imports against a layer order', () => {
    const imports = folderImports(root);
    expect(folderCircles(imports)).toEqual([['low', 'mid', 'top']]);
    expect(upwardImports(imports, [['low'], ['mid'], ['top']])).toEqual(['low → mid/b.ts', 'mid → top/c.ts']);
  });
});
