import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Absolute, so the child may run in any folder.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The argv (after `node`) that starts the CLI as a separate process **from the sources**
 * (src/cli/entry.ts through tsx), so a spawned CLI always runs the code under test and
 * never a stale dist/. bin/tidings.js runs the same entry compiled; tests/cli/bin.test.ts
 * covers the bin itself.
 */
export function tidingsProcessArgs(...args: string[]): string[] {
  return ['--import', tsxLoader, path.join(root, 'src/cli/entry.ts'), ...args];
}
