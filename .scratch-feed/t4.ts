import { readFileSync } from 'node:fs';
import { parseFeed } from '../src/ingest/feed/parse-feed.ts';
import { decodeText } from '../src/ingest/decode-text.ts';
for (const f of process.argv.slice(2)) {
  const text = decodeText(readFileSync(f), { kind: 'xml' });
  const feed = parseFeed(text, { baseUrl: 'https://fallback.example/feeds/x.xml' });
  console.log('==', f, JSON.stringify({ t: feed.title, s: feed.siteUrl, l: feed.language, w: feed.warnings }));
  for (const d of feed.drafts) console.log(JSON.stringify(d));
}
