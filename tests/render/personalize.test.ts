import { describe, expect, it } from 'vitest';
import { firstNameOf, personalize, splitAtTokens } from '../../src/render/personalize.ts';
import type { RenderedSegment } from '../../src/render/render-types.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { defaultRenderer } from './helpers.ts';

function segmentOf(html: string, text = '', subject = 'Hello %%{name}%%'): RenderedSegment {
  return { subject, preheader: '', html, text, droppedArticleIds: [], nameFallback: 'there' };
}

describe('personalize', () => {
  it('replaces raw, URL-encoded and entity-escaped token forms', () => {
    const html = [
      '<p>%%{name}%%</p>',
      '<a href="%25%25%7Bunsubscribe_url%7D%25%25">u</a>',
      '<a href="%25%25%7bview_url%7d%25%25">v</a>',
      '<p>&#37;&#37;&#123;email&#125;&#37;&#37;</p>',
      '<p>%%&#x7B;name&#x7D;%%</p>',
      '<p>%%&lbrace;preferences_url&rbrace;%%</p>',
      '<a href="https://x.example/?e=%25%25%7Bemail%7D%25%25">e</a>',
      '<p>%%{unknown}%%</p>',
    ].join('');
    const out = personalize(segmentOf(html), FIXTURE_TOKENS).html;
    expect(out).toBe(
      [
        '<p>Ada</p>',
        '<a href="https://news.example.org/u/abc123?sig&#x3D;x&amp;t&#x3D;1">u</a>',
        '<a href="https://news.example.org/v/abc123">v</a>',
        '<p>ada@example.org</p>',
        '<p>Ada</p>',
        '<p>https://news.example.org/p/abc123</p>',
        '<a href="https://x.example/?e=ada%40example.org">e</a>',
        '<p>%%{unknown}%%</p>',
      ].join(''),
    );
  });

  it('escapes values in HTML, keeps them raw in text, and falls back for an empty name', () => {
    const segment = segmentOf('<p title="%%{name}%%">%%{name}%%</p>', 'Hi %%{name}%% <%%{email}%%>', 'For %%{name}%%');
    const hostile = personalize(segment, {
      ...FIXTURE_TOKENS,
      name: 'Bob "<b>" & Co\r\nBcc: x',
      email: 'b@example.org',
    });
    expect(hostile.html).toBe(
      '<p title="Bob &quot;&lt;b&gt;&quot; &amp; Co Bcc: x">Bob &quot;&lt;b&gt;&quot; &amp; Co Bcc: x</p>',
    );
    expect(hostile.text).toBe('Hi Bob "<b>" & Co Bcc: x <b@example.org>');
    expect(hostile.subject).toBe('For Bob "<b>" & Co Bcc: x');
    const nameless = personalize(segment, { ...FIXTURE_TOKENS, name: '   ' });
    expect(nameless.text).toBe('Hi there <ada@example.org>');
  });

  it('drops a URL token value that is not http(s)', () => {
    const out = personalize(segmentOf('<a href="%%{unsubscribe_url}%%">u</a>'), {
      ...FIXTURE_TOKENS,
      unsubscribe_url: 'javascript:alert(1)',
    });
    expect(out.html).toBe('<a href="">u</a>');
  });

  it('splits a segment once and reuses the split for every subscriber', () => {
    const split = splitAtTokens('a%%{name}%%b%%{email}%%c');
    expect(split.parts).toEqual(['a', 'b', 'c']);
    expect(split.slots.map((slot) => slot.token)).toEqual(['name', 'email']);
  });

  it('leaves no token behind in a rendered edition', async () => {
    const rendered = await (await defaultRenderer()).renderSegment(buildFixtureSegment(), buildFixtureNewsletter());
    const message = personalize(rendered, FIXTURE_TOKENS);
    for (const part of [message.html, message.text, message.subject]) {
      expect(part).not.toMatch(/%%|%25%25|&#37;/);
    }
    expect(message.html).toContain('Hi Ada,');
    expect(message.html).toContain('href="https://news.example.org/u/abc123?sig&#x3D;x&amp;t&#x3D;1"');
    expect(message.text).toContain('Unsubscribe: https://news.example.org/u/abc123?sig=x&t=1');
    expect(message.html).toContain('It was sent to ada@example.org.');
  });

  it('greets by first name: the first word of the name, the given name of "Family, Given", else the locale fallback', () => {
    expect(firstNameOf('Ada Lovelace')).toBe('Ada');
    expect(firstNameOf('  Lovelace,  Ada King ')).toBe('Ada');
    expect(firstNameOf('Grace')).toBe('Grace');
    expect(firstNameOf('Hopper,')).toBe('Hopper,');
    expect(firstNameOf('')).toBe('');
    const segment = segmentOf('<p>Hi %%{first_name}%%, for %%{name}%%</p>', 'Hi %%{first_name}%%');
    expect(personalize(segment, { ...FIXTURE_TOKENS, name: 'Ada Lovelace' }).html).toBe(
      '<p>Hi Ada, for Ada Lovelace</p>',
    );
    expect(personalize(segment, { ...FIXTURE_TOKENS, name: '<b>Eve</b> X' }).html).toBe(
      '<p>Hi &lt;b&gt;Eve&lt;/b&gt;, for &lt;b&gt;Eve&lt;/b&gt; X</p>',
    );
    expect(personalize(segment, { ...FIXTURE_TOKENS, name: '' }).text).toBe('Hi there');
  });

  it('uses the first name in the greeting of a rendered edition, per locale', async () => {
    const renderer = await defaultRenderer();
    const english = personalize(await renderer.renderSegment(buildFixtureSegment(), buildFixtureNewsletter()), {
      ...FIXTURE_TOKENS,
      name: 'Ada Lovelace',
    });
    expect(english.html).toContain('>Hi Ada,</p>');
    expect(english.text).toContain('Hi Ada,');
    const german = personalize(
      await renderer.renderSegment(buildFixtureSegment({ locale: 'de', intro: null }), buildFixtureNewsletter()),
      {
        ...FIXTURE_TOKENS,
        name: 'Lovelace, Ada',
      },
    );
    expect(german.html).toContain('Hallo Ada, das ist neu in dieser Ausgabe.');
    // The full name still goes where a template asks for %%{name}%% (none of the defaults does).
    expect(german.html).not.toContain('Lovelace');
  });

  it('takes a greeting per locale from the newsletter (strings), over the locale files; an unknown key is a config error', async () => {
    const renderer = await defaultRenderer();
    const newsletter = buildFixtureNewsletter({
      strings: { de: { greeting_no_intro: 'Moin %%{first_name}%%! <Neu> heute:' } },
    });
    const german = personalize(
      await renderer.renderSegment(buildFixtureSegment({ locale: 'de-AT', intro: null }), newsletter),
      { ...FIXTURE_TOKENS, name: 'Ada Lovelace' },
    );
    // Escaped like any locale string; de-AT finds the de override.
    expect(german.html).toContain('Moin Ada! &lt;Neu&gt; heute:');
    expect(german.text).toContain('Moin Ada! <Neu> heute:');
    const english = personalize(
      await renderer.renderSegment(buildFixtureSegment({ intro: null }), newsletter),
      FIXTURE_TOKENS,
    );
    expect(english.html).toContain('Hi Ada, here is what is new in this edition.');
    const typo = renderer.renderSegment(
      buildFixtureSegment(),
      buildFixtureNewsletter({ strings: { de: { greting: 'Hallo' } } }),
    );
    await expect(typo).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(
        /^newsletters\[morning-brief\]\.strings\.de\.greting: not a key of the locale files/,
      ),
    });
  });
});
