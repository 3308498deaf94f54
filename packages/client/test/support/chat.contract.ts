/** The chat namespace's contract, shared by the test gateway and the clients: no import needed. */
export interface ChatContract {
  requests: {
    message: { payload: { text: string }; result: { status: 'ok'; at: string } };
    scarce: { payload: undefined; result: string };
    /** Its handler never answers. */
    silent: { payload: undefined; result: string };
    testSend: { payload: { event: string; data: unknown }; result: string };
    testDrop: { payload: undefined; result: void };
  };
  events: {
    message: { from: string; text: string; at: string };
  };
}
