import type { Command } from "commander";

/** Flags every command accepts, with kubectl/istioctl meaning. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output?: string;
  color: boolean;
  quiet: boolean;
  verbose: boolean;
}

/** Where a command's text goes: the process's stdout or stderr (a stream on a terminal), or a test's capture. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** What a command needs from the process; tests and the CLI pass the real streams. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export interface CliContext {
  io: CliIo;
  /** mesh's own version (package.json). */
  version: string;
  /** The process's exit code once the command returns; a command sets it (e.g. 1 for findings). */
  exitCode: number;
  /** Global flags as parsed for the command that runs. */
  globals(command: Command): GlobalOptions;
  /** Colour on stdout: only on a TTY, never with --no-color or NO_COLOR. */
  stdoutColor(command: Command): boolean;
  stderrColor(command: Command): boolean;
}

/** A command module: declares its flags on the program; its action imports the heavy core lazily. */
export interface CommandModule {
  register(program: Command, context: CliContext): void;
}
