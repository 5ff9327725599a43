import { describe, expect, it } from 'vitest';
import { detectInputKind } from '../../src/ingest/detect-input-kind.ts';

describe('detectInputKind', () => {
  it.each([
    ['feed.xml', '<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', 'feed'],
    ['feed.txt', '\uFEFF<?xml version="1.0"?><!-- c --><rdf:RDF xmlns:rdf="x"></rdf:RDF>', 'feed'],
    ['atom', '<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'feed'],
    ['other.xml', '<?xml version="1.0"?><urlset></urlset>', 'feed'],
    ['feed.json', '{"version":"https://jsonfeed.org/version/1.1","items":[]}', 'feed'],
    ['items.json', '{"version":"1.0","title":"x"}', 'json'],
    ['list.txt', '[{"title":"x"}]', 'json'],
    ['broken.json', '{"title": ', 'json'],
    ['page.txt', '<!DOCTYPE html><html><body>x</body></html>', 'page'],
    ['page.md', '  <html lang="en"><p>x</p></html>', 'page'],
    ['frag.html', '<article><p>x</p></article>', 'page'],
    ['xhtml', '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><html></html>', 'page'],
    ['post.txt', '---\ntitle: x\n---\nBody', 'markdown'],
    ['post.md', '# Title\n\nBody', 'markdown'],
    ['post.MARKDOWN', 'Body', 'markdown'],
    ['dump.txt', 'Title / News / Site\nRate it\nTitle', 'page-dump'],
    ['dump.html', 'Just text saved with the wrong name', 'page-dump'],
    ['notes.txt', '[link] is not JSON', 'page-dump'],
  ])('%s → %s', (name, text, kind) => {
    expect(detectInputKind(name, text)).toBe(kind);
  });
});
