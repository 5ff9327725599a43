import {
  createHttpClient,
  type GetOptions,
  type HttpLimits,
  type HttpResponse,
} from '../../src/core/http/http-client.ts';
import type { LookupAll } from '../../src/core/http/guarded-connect.ts';

/** One GET with a client of its own, closed afterwards (tests that vary the limits per call). */
export async function fetchOnce(
  url: string,
  limits: HttpLimits,
  options: GetOptions & { lookup?: LookupAll } = {},
): Promise<HttpResponse> {
  const { lookup, ...getOptions } = options;
  const client = createHttpClient(limits, lookup ? { lookup } : {});
  try {
    return await client.get(url, getOptions);
  } finally {
    await client.close();
  }
}
