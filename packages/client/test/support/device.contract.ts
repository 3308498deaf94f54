/**
 * The native gateway's contract, shared by `DeviceGateway` and the `RealtimeWsClient`s of the
 * tests. A native handler answers with a frame, so each result is the frame `{ event, data }`.
 */
export interface DeviceContract {
  requests: {
    whoami: { payload: undefined; result: { event: 'whoami'; data: { id: string } } };
    /** Answered under another name: the client must say so (`replyEvent`). */
    echo: { payload: { text: string }; result: { event: 'echoed'; data: { text: string; from: string } } };
    scarce: { payload: undefined; result: { event: 'scarce'; data: string } };
    /** Its handler never answers. */
    silent: { payload: undefined; result: { event: 'silent'; data: string } };
    testSend: { payload: { event: string; data: unknown }; result: { event: 'testSend'; data: 'sent' } };
    testDrop: { payload: undefined; result: void };
  };
  events: {
    note: { text: string };
  };
}
