// Port checks done before anything starts, so a busy port costs one line instead of a half-started stack.
import { createServer } from "node:net";
import { ownPorts, SETTINGS, type StackOptions } from "./options.ts";

/** Whether `port` can be bound on `host` right now. */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free now (for tests; another process could still take it before it is used). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The first port this run needs that is taken, as the one line to print (naming the port, what it is for, and the
 * flag and variable that change it), or null when all are free.
 */
export async function busyPortMessage(options: StackOptions): Promise<string | null> {
  for (const [port, name, what] of ownPorts(options)) {
    if (!(await isPortFree(port))) {
      return `Port ${port} (${what}) is already in use: pick another with --${name} <port> or ${SETTINGS[name].env}=<port>.`;
    }
  }
  return null;
}
