/**
 * `npm run build` (also run by `prepare`, so `npm install` / `npm ci` build a fresh clone):
 *   1. tsc compiles src/ to dist/ (tsconfig.build.json: .ts imports rewritten to .js,
 *      nothing emitted when a type is wrong);
 *   2. esbuild joins the compiled CLI into dist/bundle/ (entry.js plus one chunk per
 *      lazily imported command), inlining only our own modules and the small libraries
 *      every command needs (commander, zod, yaml). On Node 20 each ES module costs about
 *      a millisecond to resolve and link, and zod and yaml alone are ~150 files: loading
 *      them one by one made `tidings edition list` 5x a bare `node -e 0`.
 *      Everything else (MJML, linkedom, nodemailer, better-sqlite3, pino) stays an
 *      ordinary import from node_modules, loaded only by the commands that need it.
 * dist/bundle/ sits at the same depth as src/cli/, so `../../templates` from the CLI
 * still finds templates/ (nothing is copied).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const INLINED = new Set(['commander', 'zod', 'yaml', 'pino']);

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

/** Bare imports stay external unless they are one of the few inlined packages. */
const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      // An inlined package's own dependencies come along (we only reach node_modules through one).
      const fromInlined = args.importer.includes(`${path.sep}node_modules${path.sep}`);
      return INLINED.has(name) || fromInlined ? undefined : { external: true };
    });
  },
};

await build({
  // The page worker (src/ingest/page/page-extractor.ts) is started from
  // `./page-worker-entry.js` beside the code that starts it: in the bundle that is the
  // compiled worker itself; in the sources, a small file that registers tsx first.
  entryPoints: {
    entry: path.join(dist, 'cli/entry.js'),
    'page-worker-entry': path.join(dist, 'ingest/page/page-worker.js'),
  },
  outdir: path.join(dist, 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalPackages],
  // commander is CommonJS: its require() of Node's own modules needs a real require in ESM.
  banner: {
    js: "import { createRequire as createTidingsRequire } from 'node:module'; const require = createTidingsRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log('built dist/ (tsc) and dist/bundle/ (the CLI)');
