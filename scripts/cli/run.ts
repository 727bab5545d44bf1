// How a one-shot script ends: exit code from its result, a UsageError as its bare sentence, anything else as
// "<name> failed: …" (with the stack trace when MERCHSTAND_DEBUG is set).
import { UsageError } from "./options.ts";

export function runCommand(
  name: string,
  main: () => Promise<number | undefined>,
  { exitWhenDone = false }: { exitWhenDone?: boolean } = {},
): void {
  main().then(
    (code) => {
      process.exitCode = code ?? process.exitCode ?? 0;
      // exitWhenDone: for commands whose libraries (Hardhat's HTTP agents, a simulated chain) keep handles open.
      if (exitWhenDone) process.exit(process.exitCode);
    },
    (error: unknown) => {
      const e = error as Error;
      if (e instanceof UsageError) process.stderr.write(`${e.message}\n`);
      else {
        process.stderr.write(`${name} failed: ${e.message}\n`);
        if (process.env.MERCHSTAND_DEBUG) process.stderr.write(`${e.stack}\n`);
      }
      process.exitCode = 1;
      if (exitWhenDone) process.exit(1);
    },
  );
}
