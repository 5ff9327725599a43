import { describe, expect, it } from 'vitest';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { personalize } from '../../src/render/personalize.ts';
import { defaultRenderer } from './helpers.ts';

/** Source fields are hostile: every one is escaped, only http(s) URLs become links or images. */
function hostileSegment() {
  const segment = buildFixtureSegment({ intro: 'Editor says <b>hi</b> & "welcome"\n\n<script>alert(1)</script>' });
  const cards = segment.sections[0]!.articles;
  cards[0] = {
    ...cards[0]!,
    title: '<script>alert("t")</script> Breaking',
    summary: 'Sum <img src=x onerror=alert(1)> & more',
    sourceTitle: 'Evil "Source" <i>',
  };
  cards[1] = { ...cards[1]!, title: 'Click me', url: 'javascript:alert(document.cookie)' };
  cards[2] = { ...cards[2]!, title: 'Data link', url: 'data:text/html;base64,PHNjcmlwdD4=' };
  segment.topStory = {
    ...segment.topStory!,
    title: 'Quote " and \' and ` and = in a title',
    url: 'https://news.example.org/top?a=1&b="2"',
    imageUrl: 'javascript:alert(2)',
  };
  return segment;
}

describe('escaping', () => {
  it('shows a <script> title as text and escapes summary, source and intro', async () => {
    const { html, text } = await (await defaultRenderer()).renderSegment(hostileSegment(), buildFixtureNewsletter());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>hi</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; Breaking');
    expect(html).toContain('Sum &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; &amp; more');
    expect(html).toContain('Evil &quot;Source&quot; &lt;i&gt;');
    expect(html).toContain('Editor says &lt;b&gt;hi&lt;/b&gt; &amp; &quot;welcome&quot;');
    // The plain-text part carries the text itself, unescaped.
    expect(text).toContain('<script>alert("t")</script> Breaking');
  });

  it('links only http(s) URLs: javascript: and data: titles are shown without a link', async () => {
    const { html, text } = await (await defaultRenderer()).renderSegment(hostileSegment(), buildFixtureNewsletter());
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/data:text/i);
    // Shown as plain text, without link styling.
    expect(html).toMatch(/<h4[^>]*><span class="title-plain">Click me<\/span><\/h4>/);
    expect(html).toMatch(/<h4[^>]*><span class="title-plain">Data link<\/span><\/h4>/);
    expect(text).not.toMatch(/javascript:|data:text/);
    // A non-http image is left out entirely rather than pointing at a script.
    expect(html).not.toMatch(/<img\b/);
  });

  it('keeps quotes out of attributes: URLs are normalized, titles entity-escaped in alt text', async () => {
    const segment = hostileSegment();
    segment.topStory = { ...segment.topStory!, imageUrl: 'https://images.example.org/a.jpg?x="y"' };
    const { html } = await (await defaultRenderer()).renderSegment(segment, buildFixtureNewsletter());
    expect(html).toContain('href="https://news.example.org/top?a&#x3D;1&amp;b&#x3D;%222%22"');
    expect(html).toContain('alt="Quote &quot; and &#x27; and &#x60; and &#x3D; in a title"');
    expect(html).toContain('src="https://images.example.org/a.jpg?x&#x3D;%22y%22"');
    for (const attribute of html.match(/\s(?:href|src|alt)="[^"]*"/g) ?? []) expect(attribute).not.toMatch(/[<>]/);
  });

  it('never lets a source field carry a personalization token (a title %%{email}%% stays text)', async () => {
    const segment = buildFixtureSegment();
    const cards = segment.sections[0]!.articles;
    cards[0] = {
      ...cards[0]!,
      title: 'Leak %%{email}%% now',
      summary: 'Hi &#37;&#37;&#123;name&#125;&#37;&#37;',
      source: '%%{unsubscribe_url}%%',
    };
    cards[1] = { ...cards[1]!, title: 'Tracked link', url: 'https://evil.example/c?e=%25%25%7Bemail%7D%25%25' };
    segment.topStory = {
      ...segment.topStory!,
      title: 'Top %%{name}%%',
      imageUrl: 'https://evil.example/p.gif?e=%%{email}%%',
    };
    const rendered = await (await defaultRenderer()).renderSegment(segment, buildFixtureNewsletter());
    const message = personalize(rendered, FIXTURE_TOKENS);
    const count = (text: string, what: string) => text.split(what).length - 1;
    // The address appears once, where the template puts it ("It was sent to …"), never from a source field.
    expect(count(message.html, FIXTURE_TOKENS.email)).toBe(1);
    expect(count(message.text, FIXTURE_TOKENS.email)).toBe(1);
    for (const part of [message.html, message.text, message.subject, rendered.preheader]) {
      expect(part.includes('ada%40example.org')).toBe(false);
      expect(part.includes('evil.example')).toBe(false);
      expect(part.includes('Top Ada')).toBe(false);
    }
    expect(count(message.html, 'https://news.example.org/u/abc123')).toBe(1);
    // Still readable: the token text shows (split by an invisible word joiner).
    expect(message.text.replace(/\u2060/g, '')).toContain('Leak %%{email}%% now');
    expect(message.html).toMatch(/<h4[^>]*><span class="title-plain">Tracked link<\/span><\/h4>/);
    // The template's own tokens still work.
    expect(message.html).toContain('It was sent to ada@example.org.');
  });
});
