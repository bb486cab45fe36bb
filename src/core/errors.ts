/** Typed errors carry their exit code (documented in README.md); only src/cli turns them into an exit. */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  cluster: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is written for the user; the CLI prints it without a stack trace. */
export class MeshError extends Error {
  readonly exitCode: ExitCode;
  /** What to do next, printed on its own line after the message. */
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = options.hint;
  }
}

/** Bad flags or arguments. Exit 2. */
export class UsageError extends MeshError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, ExitCode.usage, options);
  }
}

/** Unreadable or unusable input (missing file, bad overlay, I/O failure). Exit 2. */
export class InputError extends MeshError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, ExitCode.usage, options);
  }
}

/** The cluster could not be reached or refused a request. Exit 3. */
export class ClusterError extends MeshError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, ExitCode.cluster, options);
  }
}

/** The command ran and its result is negative (invalid documents, unhealthy install). Exit 1. */
export class FindingsError extends MeshError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, ExitCode.findings, options);
  }
}
