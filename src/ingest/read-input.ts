import { type FileHandle, open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SourceError } from '../core/errors.ts';
import type { GetOptions, HttpClient } from '../core/http/http-client.ts';
import type { FetchedResource } from './types.ts';

/**
 * Reads a local file or fetches an http(s) URL (the operator's own: no address policy),
 * under the same size limit either way.
 * A `file:` URL is read as a file; any other scheme is refused.
 */
export async function readInput(
  pathOrUrl: string,
  http: HttpClient,
  options: GetOptions = {},
): Promise<FetchedResource> {
  if (/^https?:\/\//i.test(pathOrUrl)) return { ...(await http.get(pathOrUrl, options)), isUrl: true };
  let path = pathOrUrl;
  if (/^file:/i.test(pathOrUrl)) path = fileURLToPath(pathOrUrl);
  else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(pathOrUrl)) {
    throw new SourceError('SOURCE_FETCH', 'only http(s) URLs and local files can be read', { where: pathOrUrl });
  }
  return { bytes: await readFileLimited(path, http.limits.maxBytes), contentType: null, location: path, isUrl: false };
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

async function readFileLimited(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stat.size > maxBytes) {
      throw new SourceError(
        'SOURCE_TOO_LARGE',
        `file is ${stat.size} bytes, over the limit of ${maxBytes} bytes (fetch.maxBytes)`,
        {
          where: path,
        },
      );
    }
    // Read until EOF rather than trusting stat: a file that grows (or a FIFO) is still caught.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(
        Math.min(Math.max(stat.size - length + 1, 65536), maxBytes + 1 - length, 1 << 20),
      );
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > maxBytes) {
        throw new SourceError('SOURCE_TOO_LARGE', `file exceeds the limit of ${maxBytes} bytes (fetch.maxBytes)`, {
          where: path,
        });
      }
    }
    const buffer = Buffer.concat(chunks, length);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = FILE_ERRORS[code] ?? `cannot be read: ${(error as Error).message}`;
    throw new SourceError('SOURCE_FETCH', `${reason}${code ? ` (${code})` : ''}`, { where: path, cause: error });
  } finally {
    await handle?.close();
  }
}
