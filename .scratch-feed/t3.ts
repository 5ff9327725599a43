import { parseXml, innerMarkup } from '../src/ingest/feed/xml-tree.ts';
const src = '<a><b x="1"/><c>hi &amp; <i>there</i></c><d>unclosed<e></e></a>junk';
const doc = parseXml(src, { baseUrl: null });
const walk = (e: any, d = 0) => { console.log(' '.repeat(d) + e.name, JSON.stringify(innerMarkup(doc, e))); e.children.forEach((c: any) => walk(c, d + 1)); };
walk(doc.top.children[0]);
console.log(doc.warnings);
