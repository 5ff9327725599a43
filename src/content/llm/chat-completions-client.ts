import { TidingsError } from '../../core/errors.ts';

/**
 * One call to an OpenAI-compatible chat-completions endpoint (`POST {baseUrl}/chat/completions`),
 * as served by Ollama, llama.cpp's server, vLLM and hosted APIs. Every way the call can
 * go wrong ends as a ModelCallError with a short `reason`, which the summary engine logs
 * before it falls back to the extractive summary.
 */
export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
}

export interface ChatAnswer {
  /** The first choice's message content, as the server sent it (untrusted). */
  content: string;
  /** `length` when the server cut the answer at its token limit. */
  finishReason: string | null;
}

export type ChatCompletion = (request: ChatRequest) => Promise<ChatAnswer>;

export type ModelFailure = 'timeout' | 'connection' | 'http-status' | 'malformed' | 'empty' | 'too-long' | 'too-large';

export class ModelCallError extends TidingsError {
  readonly reason: ModelFailure;
  constructor(reason: ModelFailure, message: string, options: { cause?: unknown } = {}) {
    // A timeout or a dropped connection may pass; a malformed answer will not.
    super('SUMMARY_MODEL_FAILED', message, {
      ...options,
      retryable: reason === 'timeout' || reason === 'connection' || reason === 'http-status',
    });
    this.reason = reason;
  }
}

export interface ChatClientOptions {
  baseUrl: string;
  /** Sent as a Bearer token; absent: no Authorization header. */
  apiKey?: string;
  timeoutMs: number;
  /** Answers larger than this are refused without reading further (a summary is a few hundred bytes). */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/** A ChatCompletion over HTTP with one deadline per call, covering connect, headers and body. */
export function createChatCompletionsClient(options: ChatClientOptions): ChatCompletion {
  const url = chatCompletionsUrl(options.baseUrl);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return async (request) => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        signal: deadline.signal,
        // An API does not redirect; following one could carry the key elsewhere. A 3xx is a failed call.
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: request.model, messages: request.messages, stream: false, temperature: 0.2 }),
      });
      const body = await readLimited(response, maxBytes);
      if (!response.ok) throw new ModelCallError('http-status', `HTTP ${response.status} from ${url}`);
      return parseAnswer(body);
    } catch (error) {
      if (error instanceof ModelCallError) throw error;
      if (deadline.signal.aborted)
        throw new ModelCallError('timeout', `no answer from ${url} within ${options.timeoutMs} ms`, { cause: error });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ModelCallError(
        'connection',
        `connection to ${url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => {});
      throw new ModelCallError('too-large', `answer larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseAnswer(body: string): ChatAnswer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ModelCallError('malformed', 'the answer is not JSON');
  }
  const choice = (parsed as { choices?: unknown })?.choices;
  const first = Array.isArray(choice)
    ? (choice[0] as { message?: { content?: unknown }; finish_reason?: unknown } | undefined)
    : undefined;
  const content = first?.message?.content;
  if (content === undefined || content === null) {
    if (!first) throw new ModelCallError('malformed', 'the answer has no choices[0]');
    throw new ModelCallError('empty', 'the answer has no message content');
  }
  if (typeof content !== 'string') throw new ModelCallError('malformed', 'choices[0].message.content is not text');
  return { content, finishReason: typeof first?.finish_reason === 'string' ? first.finish_reason : null };
}
