import { readFileSync } from 'node:fs';
import { parseFeed } from '../src/ingest/feed/parse-feed.ts';
import { decodeText } from '../src/ingest/decode-text.ts';
for (const f of process.argv.slice(2)) {
  const text = decodeText(readFileSync(f), { kind: 'xml' });
  const feed = parseFeed(text, { baseUrl: null });
  console.log('==', f, feed.title, feed.siteUrl, feed.language, feed.warnings);
  for (const d of feed.drafts.slice(0, 3)) console.log(JSON.stringify({ ...d, text: d.text.slice(0, 100) }));
}
