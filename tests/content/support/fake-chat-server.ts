import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestSeen {
  path: string;
  authorization: string | undefined;
  body: { model?: string; messages?: { role: string; content: string }[]; stream?: boolean };
}

/** What the server does with one request: answer it, or misbehave. */
export type Behaviour = (
  request: ChatRequestSeen,
  response: http.ServerResponse,
  index: number,
) => void | Promise<void>;

export interface FakeChatServer {
  /** The base URL to configure, with the `/v1` of OpenAI-style servers. */
  baseUrl: string;
  requests: ChatRequestSeen[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  behaviour: Behaviour;
  close(): Promise<void>;
}

/** A chat completion the way OpenAI-compatible servers send it. */
export function completion(content: unknown, finishReason = 'stop'): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
  });
}

export function answer(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

/** An OpenAI-compatible chat-completions server on 127.0.0.1 whose behaviour each test sets. */
export async function startFakeChatServer(behaviour: Behaviour): Promise<FakeChatServer> {
  let inFlight = 0;
  const state: FakeChatServer = {
    baseUrl: '',
    requests: [],
    maxInFlight: 0,
    behaviour,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    let done = false;
    const finished = () => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.on('close', finished);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: ChatRequestSeen = {
        path: req.url ?? '',
        authorization: req.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestSeen['body'],
      };
      state.requests.push(seen);
      void state.behaviour(seen, res, state.requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
