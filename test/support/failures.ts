import { ConnectorFailure } from '../../src/connector/errors.ts';

/** The ConnectorFailure `promise` rejects with; anything else (or no rejection) fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<ConnectorFailure> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConnectorFailure))
    throw new Error(`expected a ConnectorFailure, got ${String(error)}`);
  return error;
}
