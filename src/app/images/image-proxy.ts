import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { describeError, TidingsError } from '../../core/errors.ts';
import type { HttpClient } from '../../core/http/http-client.ts';
import type { Logger } from '../../core/logger.ts';
import { reasonOf } from '../../ingest/fulltext/error-reason.ts';
import type { CachedImage, ImageCache } from './image-cache.ts';
import { declaredImageType, sniffImageType } from './image-types.ts';
import { PROXIED_IMAGE_WIDTH, type ImageScaler } from './scale-image.ts';

/**
 * The image proxy behind `GET /img/<token>`: fetches an article's image once, checks it
 * is a JPEG, PNG, GIF or WebP image, scales it to the email's width and keeps it in the
 * cache; every later reader gets the cached copy. The article's site sees Tidings, never
 * the reader, and nothing here knows or logs who asked.
 *
 * Image URLs come from feeds, so they are untrusted like full-text links: only public
 * addresses (every redirect hop included) unless `fetch.allowPrivateNetworks`, and the
 * fetch limits (timeout, size, redirects) of every fetch. Requests for one image that
 * arrive while it is being fetched wait for that fetch. A failure is remembered for
 * FAILURE_TTL_MS, so an email opened by many readers does not hammer a failing site.
 */
export interface ImageProxy {
  /** The image for a verified URL; throws a TidingsError (SOURCE_* or IMAGE_INVALID) when it cannot be had. */
  load(url: string): Promise<CachedImage>;
}

export interface ImageProxyDeps {
  /** The one HTTP client (its `fetch` limits); image URLs go out as untrusted. */
  http: HttpClient;
  cache: ImageCache;
  scale: ImageScaler;
  logger: Logger;
  clock: Clock;
  width?: number;
}

/** How long a failed image is answered with its failure before it is fetched again. */
export const FAILURE_TTL_MS = 5 * 60_000;
/** Failures remembered at most (the oldest is forgotten first). */
const MAX_FAILURES = 1000;

const IMAGE_ACCEPT = 'image/webp, image/png, image/jpeg, image/gif;q=0.9';

/** The cache key: the URL and the width it is scaled to (another width is another image). */
export function imageCacheKey(url: string, width: number): string {
  return createHash('sha256').update(`${width}\n${url}`).digest('hex');
}

export function createImageProxy(deps: ImageProxyDeps): ImageProxy {
  const width = deps.width ?? PROXIED_IMAGE_WIDTH;
  const log = deps.logger.child({ component: 'image-proxy' });
  const inFlight = new Map<string, Promise<CachedImage>>();
  const failures = new Map<string, { error: TidingsError; until: number }>();

  const remember = (key: string, error: TidingsError) => {
    failures.delete(key);
    failures.set(key, { error, until: deps.clock.now().getTime() + FAILURE_TTL_MS });
    while (failures.size > MAX_FAILURES) failures.delete(failures.keys().next().value!);
  };

  async function fetchAndScale(url: string, key: string): Promise<CachedImage> {
    const cached = await deps.cache.get(key);
    if (cached) return cached;
    const failed = failures.get(key);
    if (failed && failed.until > deps.clock.now().getTime()) throw failed.error;
    failures.delete(key);
    try {
      const response = await deps.http.get(url, { accept: IMAGE_ACCEPT, untrusted: true });
      const declared = declaredImageType(response.contentType);
      if (!declared) {
        throw new TidingsError(
          'IMAGE_INVALID',
          `Content-Type ${JSON.stringify(response.contentType ?? '(none)')} is not a JPEG, PNG, GIF or WebP image`,
          { where: url },
        );
      }
      const actual = sniffImageType(response.bytes);
      if (!actual)
        throw new TidingsError(
          'IMAGE_INVALID',
          `declared ${declared} but the bytes are not a JPEG, PNG, GIF or WebP image`,
          { where: url },
        );
      let scaled: Awaited<ReturnType<typeof deps.scale>>;
      try {
        scaled = await deps.scale(response.bytes, actual);
      } catch (error) {
        throw new TidingsError('IMAGE_INVALID', `the ${actual} image cannot be decoded: ${describeError(error)}`, {
          where: url,
          cause: error,
        });
      }
      const image = { bytes: scaled.bytes, contentType: scaled.contentType };
      try {
        await deps.cache.put(key, image);
      } catch (error) {
        // A full disk costs a refetch later, not this reader's image.
        log.warn({ err: error, url }, 'image fetched but not cached');
      }
      log.info(
        { url, bytes: response.bytes.length, served: image.bytes.length, scaled: scaled.scaled },
        'image fetched',
      );
      return image;
    } catch (error) {
      const failure =
        error instanceof TidingsError
          ? error
          : new TidingsError('SOURCE_FETCH', describeError(error), { where: url, cause: error });
      remember(key, failure);
      // The URL is the article's image, not the reader: it is what ops needs to look at.
      log.warn({ url, code: failure.code }, `image ${url} not served: ${reasonOf(failure)}`);
      throw failure;
    }
  }

  return {
    load(url) {
      const key = imageCacheKey(url, width);
      let pending = inFlight.get(key);
      if (!pending) {
        pending = fetchAndScale(url, key).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
