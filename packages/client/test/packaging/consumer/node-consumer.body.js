// Shared body of the Node consumers; the header that loads the package differs per module system.
// The test passes the server's URL and a token in the environment.

async function main() {
  const client = new RealtimeClient({
    url: process.env.SERVER_URL,
    namespace: '/chat',
    getToken: () => process.env.TOKEN,
    socket: { transports: ['websocket'] },
  });
  const statuses = [];
  client.status.subscribe((status) => statuses.push(status));

  const report = { moduleSystem, resolvedEntry };
  report.result = await client.request('message', { text: `hello from ${moduleSystem}` });
  // The error contract arrives as the package's own error class, in this module system too.
  report.refusal = await client.request('message', { text: '' }).then(
    () => 'accepted',
    (error) => ({ isRealtimeError: error instanceof RealtimeError, name: error.name, code: error.code, details: error.details }),
  );
  client.close();
  report.statuses = statuses;

  console.log(`REPORT ${JSON.stringify(report)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
