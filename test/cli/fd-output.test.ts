import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// writeSync is replaced per test to play a descriptor that refuses (EAGAIN) or whose reader went away (EPIPE).
const writes = vi.hoisted(() => ({ refuse: undefined as ((call: number) => string | undefined) | undefined, calls: 0 }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const writeSync = (fd: number, buffer: Uint8Array, offset: number, length: number): number => {
    const code = writes.refuse?.(writes.calls++);
    if (code) throw Object.assign(new Error(code), { code });
    // At most 4 bytes a call, as a pipe may take part of a write.
    return fs.writeSync(fd, buffer, offset, Math.min(length, 4));
  };
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { FdOutput, writesDirectly } = await import("../../src/cli/fd-output.js");

class Collector extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(path.join(os.tmpdir(), "mesh-fd-output-"));
  writes.refuse = undefined;
  writes.calls = 0;
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function withFile(run: (fd: number) => void): string {
  const file = path.join(directory, "out");
  const fd = openSync(file, "w");
  try {
    run(fd);
  } finally {
    closeSync(fd);
  }
  return readFileSync(file, "utf8");
}

describe("FdOutput", () => {
  it("writes every byte in order, also when the descriptor takes part of a write", async () => {
    let opened = false;
    const text = withFile((fd) => {
      const output = new FdOutput(
        fd,
        () => ((opened = true), new Collector()),
        () => {
          throw new Error("closed");
        },
      );
      output.write("héllo, ");
      output.write(new TextEncoder().encode("wörld\n"));
    });
    expect(text).toBe("héllo, wörld\n");
    expect(opened).toBe(false);
  });

  it("hands the rest and every later write to Node's stream once the descriptor says EAGAIN", async () => {
    const stream = new Collector();
    writes.refuse = (call) => (call >= 2 ? "EAGAIN" : undefined);
    let output: InstanceType<typeof FdOutput> | undefined;
    const direct = withFile((fd) => {
      output = new FdOutput(
        fd,
        () => stream,
        () => {
          throw new Error("closed");
        },
      );
      output.write("abcdefghij");
      output.write("klm\n");
    });
    await output!.flushed();
    expect(direct + stream.text).toBe("abcdefghijklm\n");
    expect(direct).toBe("abcdefgh");
  });

  it("stops through onClosedPipe when the reader has gone (EPIPE), and rethrows other errors", () => {
    writes.refuse = () => "EPIPE";
    const closed = vi.fn(() => {
      throw new Error("closed pipe");
    });
    withFile((fd) => {
      expect(() => new FdOutput(fd, () => new Collector(), closed as () => never).write("x")).toThrow("closed pipe");
    });
    expect(closed).toHaveBeenCalledOnce();
    writes.refuse = () => "EIO";
    withFile((fd) => {
      expect(() => new FdOutput(fd, () => new Collector(), closed as () => never).write("x")).toThrow("EIO");
    });
  });
});

describe("writesDirectly", () => {
  it("takes files and /dev/null, and leaves other character devices (terminals) and bad descriptors to Node", () => {
    withFile((fd) => expect(writesDirectly(fd)).toBe(true));
    const devNull = openSync("/dev/null", "w");
    const zero = openSync("/dev/zero", "r");
    try {
      expect(writesDirectly(devNull)).toBe(true);
      expect(writesDirectly(zero)).toBe(false);
    } finally {
      closeSync(devNull);
      closeSync(zero);
    }
    expect(writesDirectly(987654)).toBe(false);
  });
});
