import type { ServerResponse } from "node:http";

/** Writes a body of 'a's that never ends (as fast as the client reads), until the client goes away. */
export function writeEndlessBody(response: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = () => {
    while (response.write(chunk));
    response.once("drain", pump);
  };
  response.on("close", () => response.removeAllListeners("drain"));
  pump();
}
