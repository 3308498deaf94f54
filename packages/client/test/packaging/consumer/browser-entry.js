// A browser app's entry, bundled from the installed tarball. The page is served at the server's
// origin, so the client is given no URL: it connects to the page's own.
import { RealtimeClient, RealtimeError } from '@nestjs-realtime/client';

window.runClient = async (token) => {
  const client = new RealtimeClient({ namespace: '/chat', getToken: () => token });
  const statuses = [];
  client.status.subscribe((status) => statuses.push(status));
  const result = await client.request('message', { text: 'hello from the browser' });
  const refusal = await client.request('message', { text: '' }).then(
    () => 'accepted',
    (error) => ({ isRealtimeError: error instanceof RealtimeError, code: error.code }),
  );
  client.close();
  document.getElementById('answer').textContent = result.status;
  return { result, refusal, statuses };
};
