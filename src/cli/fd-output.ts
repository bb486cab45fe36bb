import { fstatSync, statSync, writeSync } from "node:fs";

/**
 * Standard output or error written with write(2) on the descriptor, for runs where it is a file or a pipe
 * (not a terminal). Node builds a stream the first time `process.stdout` is read: a pipe becomes a net.Socket,
 * which loads `net` and `stream` and switches the pipe, shared with the parent, to non-blocking. A one-file
 * validate never needs any of that, and the bytes and their order are the same.
 *
 * A descriptor that refuses a write for now (EAGAIN: the parent left it non-blocking and the reader is slow) hands
 * the rest of the text, and every later write, to Node's stream, which waits for the reader.
 */
export class FdOutput {
  readonly isTTY = false;
  private stream: NodeJS.WritableStream | undefined;

  constructor(
    private readonly fd: number,
    private readonly openStream: () => NodeJS.WritableStream,
    private readonly onClosedPipe: () => never,
  ) {}

  write(text: string | Uint8Array): boolean {
    if (this.stream) return this.stream.write(text);
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") this.onClosedPipe();
      if (code !== "EAGAIN") throw error;
      this.stream = this.openStream();
      return this.stream.write(bytes.subarray(written));
    }
    return true;
  }

  /** Resolves once every byte written so far has left the process. */
  flushed(): Promise<void> {
    return this.stream ? streamFlushed(this.stream) : Promise.resolve();
  }
}

/** Resolves once everything written to `stream` so far has left the process. */
export function streamFlushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write("", () => resolve()));
}

/**
 * Whether `fd` can take FdOutput: a file, a pipe, a socket or /dev/null. Any other character device may be a
 * terminal, which needs Node's stream (colour checks, spinners, window size); asking Node whether it is one would
 * load `net` too. Windows descriptors are left to Node.
 */
export function writesDirectly(fd: number): boolean {
  if (process.platform === "win32") return false;
  try {
    const info = fstatSync(fd);
    if (info.isFile() || info.isFIFO() || info.isSocket()) return true;
    return info.isCharacterDevice() && info.rdev === statSync("/dev/null").rdev;
  } catch {
    return false;
  }
}
