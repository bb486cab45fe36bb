import { InputError } from "../../src/core/errors.js";

/** The InputError `run` throws; any other error is rethrown and a run that returns fails the test. */
export function inputErrorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}
