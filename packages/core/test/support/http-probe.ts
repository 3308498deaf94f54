import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';

export interface ProbeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Reads a whole response into `resolve`, its body as text. */
const readResponse = (resolve: (response: ProbeResponse) => void) => (res: IncomingMessage) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
};

/**
 * Opens an Engine.IO long-polling session by hand, as a browser's first request would.
 * Lets a test set the `Origin` header freely and read the handshake the server sends back.
 */
export function pollingHandshake(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<ProbeResponse> {
  const url = new URL(`${path.replace(/\/$/, '')}/?EIO=4&transport=polling`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, readResponse(resolve));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends one Engine.IO HTTP request with the query and headers a test chooses (a `<script>` tag's
 * JSONP handshake, a poll of an open session from another origin…).
 */
export function engineRequest(
  baseUrl: string,
  path: string,
  query: Record<string, string>,
  headers: Record<string, string> = {},
  body?: string,
): Promise<ProbeResponse> {
  const url = new URL(`${path.replace(/\/$/, '')}/?${new URLSearchParams({ EIO: '4', transport: 'polling', ...query })}`, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers }, readResponse(resolve));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends one HTTP upgrade request to WebSocket, as a browser opens one, and reads the answer:
 * `101` when the server switched protocols (the socket is then closed), or its refusal's status,
 * headers and body, exactly as sent.
 */
export function upgradeRequest(baseUrl: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(pathAndQuery, baseUrl), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('response', readResponse(resolve));
    req.on('error', reject);
    req.end();
  });
}

/** The Engine.IO open packet (`0{...}`) of a successful polling handshake. */
export function openPacket(response: ProbeResponse): {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload: number;
} {
  if (!response.body.startsWith('0')) throw new Error(`Not an open packet: ${response.status} ${response.body}`);
  return JSON.parse(response.body.slice(1));
}

export { freePort } from '../../src/testing/index.js';
