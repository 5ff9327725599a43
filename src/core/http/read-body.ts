import zlib from 'node:zlib';
import { Transform, type Readable } from 'node:stream';
import { SourceError } from '../errors.ts';

/**
 * Reads a response body, decompressing gzip, deflate (zlib-wrapped or raw) and br, and
 * stops as soon as the bytes on the wire or after decompression pass `maxBytes`.
 */
export function readBody(body: Readable, encodingHeader: string, maxBytes: number, where: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let finished = false;
    const fail = (error: SourceError) => {
      if (finished) return;
      finished = true;
      body.destroy();
      decoded.destroy();
      reject(error);
    };
    let wireBytes = 0;
    body.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      if (wireBytes > maxBytes) fail(tooLarge(where, maxBytes, 'the body'));
    });
    const encoding = encodingHeader.trim().toLowerCase();
    let decoded: Readable = body;
    if (encoding === 'gzip' || encoding === 'x-gzip') decoded = body.pipe(zlib.createGunzip());
    else if (encoding === 'br') decoded = body.pipe(zlib.createBrotliDecompress());
    else if (encoding === 'deflate') decoded = body.pipe(createDeflateDecoder());
    const chunks: Buffer[] = [];
    let size = 0;
    decoded.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        return fail(tooLarge(where, maxBytes, decoded === body ? 'the body' : 'the decompressed body'));
      chunks.push(chunk);
    });
    decoded.on('end', () => {
      if (finished) return;
      finished = true;
      resolve(new Uint8Array(Buffer.concat(chunks, size)));
    });
    if (decoded !== body) {
      decoded.on('error', (error) =>
        fail(
          new SourceError('SOURCE_FETCH', `could not read the ${encoding} body: ${error.message}`, {
            where,
            cause: error,
          }),
        ),
      );
    }
    body.on('error', (error: NodeJS.ErrnoException) => {
      const closed = error.code === 'UND_ERR_SOCKET' || error.code === 'ECONNRESET';
      const message = closed
        ? 'connection closed before the body was complete'
        : `reading the body failed: ${error.message}`;
      fail(new SourceError('SOURCE_FETCH', message, { where, retryable: true, cause: error }));
    });
  });
}

export function tooLarge(where: string, maxBytes: number, what: string): SourceError {
  return new SourceError('SOURCE_TOO_LARGE', `${what} exceeds the limit of ${maxBytes} bytes (fetch.maxBytes)`, {
    where,
  });
}

/** "deflate" is zlib-wrapped by the spec but raw deflate in some servers: look at the first byte. */
function createDeflateDecoder(): Transform {
  let inner: zlib.Inflate | zlib.InflateRaw | null = null;
  const transform: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (!inner) {
        inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
        inner.on('data', (data: Buffer) => transform.push(data));
        inner.on('error', (error: Error) => transform.destroy(error));
      }
      inner.write(chunk, () => done());
    },
    flush(done) {
      if (!inner) return done();
      inner.once('end', () => done());
      inner.end();
    },
  });
  return transform;
}
