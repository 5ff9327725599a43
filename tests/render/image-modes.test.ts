import { describe, expect, it } from 'vitest';
import { signSubscriberToken, verifySubscriberToken } from '../../src/delivery/subscriber-token.ts';
import { createRenderer } from '../../src/render/create-renderer.ts';
import {
  createImageLinker,
  MAX_PROXIED_URL_BYTES,
  signImageToken,
  verifyImageToken,
  type ImageMode,
} from '../../src/render/image-links.ts';
import { personalize } from '../../src/render/personalize.ts';
import { buildFixtureNewsletter, buildFixtureSegment, FIXTURE_TOKENS } from '../fixtures/render/fixture-edition.ts';
import { createRecordingLogger, TEMPLATES_DIR } from './helpers.ts';

const SECRET = 'image-test-secret-0123456789abcdef';
const BASE = 'https://news.example.org/';
const IMAGE = 'https://images.example.org/night-bus.jpg';

const secretReads: Record<ImageMode, number> = { proxy: 0, direct: 0, none: 0 };
const renderers = new Map<ImageMode, ReturnType<typeof createRenderer>>();
/** One renderer per mode (loading the templates is most of the time). */
function rendererFor(mode: ImageMode) {
  let renderer = renderers.get(mode);
  if (!renderer) {
    const images = createImageLinker({
      mode,
      baseUrl: BASE,
      secret: () => {
        secretReads[mode]++;
        return SECRET;
      },
    });
    renderer = createRenderer({ templatesDir: TEMPLATES_DIR, logger: createRecordingLogger().logger, images });
    renderers.set(mode, renderer);
  }
  return renderer;
}

async function renderWith(mode: ImageMode, imageUrl = IMAGE) {
  const renderer = await rendererFor(mode);
  const segment = buildFixtureSegment();
  segment.topStory = { ...segment.topStory!, imageUrl };
  const rendered = await renderer.renderSegment(segment, buildFixtureNewsletter());
  return { rendered, html: rendered.html, secretReads: () => secretReads[mode] };
}

const imgSources = (html: string) => [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)].map((match) => match[1]!);

describe('article images in the email (config images)', () => {
  it('proxy: the image is <base>/img/<token>, the token carries the original URL and nothing per reader', async () => {
    const { rendered, html } = await renderWith('proxy');
    const sources = imgSources(html);
    expect(sources).toHaveLength(1);
    const match = /^https:\/\/news\.example\.org\/img\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(sources[0]!);
    expect(match, sources[0]).not.toBeNull();
    expect(verifyImageToken(match![1]!, SECRET)).toBe(IMAGE);
    // The site's own address appears nowhere: a mail client has nothing to load from it.
    expect(html).not.toContain('images.example.org');
    // Personalization replaces tokens elsewhere; the image link is the same for every reader.
    const alice = personalize(rendered, {
      ...FIXTURE_TOKENS,
      email: 'alice@example.org',
      unsubscribe_url: 'https://news.example.org/u/a',
    });
    const bob = personalize(rendered, {
      ...FIXTURE_TOKENS,
      email: 'bob@example.org',
      unsubscribe_url: 'https://news.example.org/u/b',
    });
    expect(imgSources(alice.html)).toEqual(sources);
    expect(imgSources(bob.html)).toEqual(sources);
  });

  it("direct: the article site's own http(s) URL, as before", async () => {
    const { html, secretReads } = await renderWith('direct');
    expect(imgSources(html)).toEqual([IMAGE]);
    expect(html).not.toContain('/img/');
    expect(secretReads()).toBe(0);
  });

  it('none: no article image at all', async () => {
    const { html, secretReads } = await renderWith('none');
    expect(imgSources(html)).toEqual([]);
    expect(html).not.toContain('images.example.org');
    expect(secretReads()).toBe(0);
  });

  it('proxy: an image URL too long for a token is left out, never linked directly', async () => {
    const long = `https://images.example.org/${'a'.repeat(MAX_PROXIED_URL_BYTES)}.jpg`;
    const { html } = await renderWith('proxy', long);
    expect(imgSources(html)).toEqual([]);
    expect(html).not.toContain('images.example.org');
  });

  it('proxy and direct: a javascript: or token-carrying image URL is never shown', async () => {
    for (const mode of ['proxy', 'direct'] as const) {
      expect(imgSources((await renderWith(mode, 'javascript:alert(1)')).html)).toEqual([]);
      expect(imgSources((await renderWith(mode, 'https://evil.example/p.gif?e=%%{email}%%')).html)).toEqual([]);
    }
  });
});

describe('image tokens', () => {
  it('refuse a tampered payload or signature, another secret, and tokens of another kind', () => {
    const token = signImageToken(IMAGE, SECRET);
    const [payload, signature] = token.split('.') as [string, string];
    const other = Buffer.from(`i:https://evil.example/x.png`).toString('base64url');
    expect(verifyImageToken(`${other}.${signature}`, SECRET)).toBeNull();
    expect(verifyImageToken(`${payload}.${signature.slice(0, -2)}AA`, SECRET)).toBeNull();
    expect(verifyImageToken(token, 'another-secret-0123456789abcdef')).toBeNull();
    expect(verifyImageToken(`${token}x`, SECRET)).toBeNull();
    // A subscriber link is not an image link, and an image link unsubscribes nobody.
    const unsubscribe = signSubscriberToken({ subscriberId: 7, newsletterId: 'daily', purpose: 'unsubscribe' }, SECRET);
    expect(verifyImageToken(unsubscribe, SECRET)).toBeNull();
    expect(verifySubscriberToken(token, SECRET)).toBeNull();
  });

  it('carry only http(s) URLs even when validly signed', () => {
    expect(verifyImageToken(signImageToken('file:///etc/passwd', SECRET), SECRET)).toBeNull();
    expect(verifyImageToken(signImageToken('http://127.0.0.1/a.png', SECRET), SECRET)).toBe('http://127.0.0.1/a.png');
  });
});
