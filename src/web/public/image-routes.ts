import type { FastifyReply } from 'fastify';
import { isTidingsError } from '../../core/errors.ts';
import { verifyImageToken } from '../../render/image-links.ts';
import type { RouteModule } from '../web-context.ts';

/**
 * `GET /img/<token>`: an article image for the digest (config `images: proxy`). The
 * token is the image URL signed with the link secret; it names no reader, and the
 * request line logged by the server holds no reader address. Served whatever `images`
 * says now, so the images of emails sent earlier in proxy mode keep working.
 *
 * A scaled image never changes under its URL: it is cached by browsers and proxies for
 * a year. Bad signature: 403. The article's site failing or sending something that is
 * not an image: 502; not answering within `fetch.timeout`: 504 (the proxy logs the URL
 * and why). While the image is fetched the connection may stay quiet for up to
 * `fetch.timeout` (the server's own idle limit is shorter): a slow site gets its time,
 * and the reader an answer rather than a dropped connection.
 */

/** Beyond `fetch.timeout`, for scaling the image and writing the answer. */
const ANSWER_GRACE_MS = 10_000;

/** A year: the bytes behind one token never change. */
export const IMAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

function plain(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(`${text}\n`);
}

export const registerImageRoutes: RouteModule = (app, web) => {
  const images = web.images;
  if (!images) return;
  // Not under the per-address limit: mail providers' image proxies (Gmail, Apple's
  // Privacy Protection) fetch for many readers from few addresses. Each request costs an
  // HMAC check or a cache read; the only tokens that make Tidings fetch are the ones it
  // signed into emails, each fetched once (or once per FAILURE_TTL_MS when failing).
  app.get<{ Params: { token: string } }>('/img/:token', { config: { rateLimit: false } }, async (request, reply) => {
    const secret = web.config.web.secret;
    const url = secret ? verifyImageToken(request.params.token, secret) : null;
    if (!url) return plain(reply, 403, 'invalid image link');
    const socket = request.raw.socket;
    const idleTimeout = socket.timeout ?? 0;
    const wait = web.config.fetch.timeout + ANSWER_GRACE_MS;
    if (idleTimeout > 0 && idleTimeout < wait) socket.setTimeout(wait);
    let image: Awaited<ReturnType<typeof images.load>>;
    try {
      image = await images.load(url);
    } catch (error) {
      // The proxy has logged the URL and the reason; the reader's client just shows no image.
      const timedOut = isTidingsError(error) && error.code === 'SOURCE_TIMEOUT';
      return plain(reply, timedOut ? 504 : 502, timedOut ? 'image site too slow' : 'image unavailable');
    } finally {
      if (idleTimeout > 0 && idleTimeout < wait) socket.setTimeout(idleTimeout);
    }
    return (
      reply
        .header('content-type', image.contentType)
        .header('cache-control', IMAGE_CACHE_CONTROL)
        .header('x-content-type-options', 'nosniff')
        // Webmail pages on other origins show these images: helmet's same-origin CORP would block them.
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('content-length', image.bytes.length)
        .send(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength))
    );
  });
};
