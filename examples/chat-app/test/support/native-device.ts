import WebSocket from 'ws';

/**
 * A thin client on the example's native WebSocket gateway (/ws). Browsers cannot set headers on a
 * WebSocket: the token travels as the subprotocol.
 */
export function openDevice(baseUrl: string, token?: string): Promise<WebSocket> {
  return new Promise<WebSocket>((resolve, reject) => {
    const device = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws`, token ? ['bearer', token] : []);
    device.once('open', () => resolve(device));
    device.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    device.once('error', reject);
  });
}

/** The data of the next `{ event, data }` frame named `event` the device receives. */
export function nextFrame(device: WebSocket, event: string): Promise<unknown> {
  return new Promise<unknown>((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const frame = JSON.parse(raw.toString()) as { event: string; data: unknown };
      if (frame.event !== event) return;
      device.off('message', onMessage);
      resolve(frame.data);
    };
    device.on('message', onMessage);
  });
}
