import { readFileSync } from 'node:fs';
import { parsePageDump } from '../src/ingest/page/parse-page-dump.ts';
const f = process.argv[2]!;
const d = parsePageDump(readFileSync(f, 'utf8'), { fileName: f });
console.log(JSON.stringify({ ...d, text: undefined }, null, 1));
console.log(d.text.split('\n\n').map((p) => '¶ ' + p.slice(0, 90)).join('\n'));
