/** Test fixtures that live for one test: started before it (or by it) and stopped after it. */
import { afterEach, beforeEach } from "vitest";

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts a fixture before each test of the file and stops it after. The returned object stands for the current
 * test's fixture: reading it outside a test throws.
 */
export function freshForEachTest<T extends Stoppable & object>(start: () => Promise<T>): T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
  });
  afterEach(async () => {
    const started = current;
    current = undefined;
    await started?.stop();
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (current === undefined) throw new Error(`the per-test fixture was read outside a test (${String(key)})`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/** For tests that start their own fixture (each with its own options): whatever `start` started stops after the test. */
export function stoppedAfterEach<A extends unknown[], T extends Stoppable>(start: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  const started: T[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fixture) => fixture.stop()));
  });
  return async (...args) => {
    const fixture = await start(...args);
    started.push(fixture);
    return fixture;
  };
}
