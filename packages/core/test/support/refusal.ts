import { expect } from 'vitest';
import { ConnectRefusedError } from '../../src/testing/index.js';

/** The `connect_error` a refused connection got: its message and `data`. */
export async function refusal(promise: Promise<unknown>): Promise<{ message: string; data: unknown }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the connection to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectRefusedError);
  return { message: (error as ConnectRefusedError).message, data: (error as ConnectRefusedError).data };
}
