// The one argv parser of the scripts: a table per command of flag -> MERCHSTAND_* variable -> default, read with
// node:util `parseArgs`, with `--help` generated from the same table. Flags win over variables, variables over
// defaults. Every value keeps where it came from, so a malformed one is named in the error ("--rpc-port must be…"
// or "MERCHSTAND_RPC_PORT must be…").
import { parseArgs } from "node:util";

/** A command-line mistake or missing setup: printed as-is, without a stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

export type OptionSpec = {
  /** "string" takes a value; "boolean" is a switch (`--x`, `--x=0`, or its variable set to 1/true or 0/false). */
  type: "string" | "boolean";
  /** What the value is, shown in `--help` as `--flag <value>`. */
  value?: string;
  /** The environment variable that sets the option when the flag is absent. */
  env?: string;
  /** Repeatable flag; its variable is a comma-separated list. */
  multiple?: boolean;
  short?: string;
  /** One line for `--help` (more lines with "\n"). */
  describe: string;
  /** Heading in `--help` that the option is listed under. */
  section?: string;
};

export type OptionTable = Record<string, OptionSpec>;

/** A value and where it came from: the flag (`--rpc-port`) or the variable (`MERCHSTAND_RPC_PORT`). */
export type Given = { value: string; where: string };

export type ParsedOptions<T extends OptionTable> = {
  help: boolean;
  values: { [K in keyof T]?: T[K]["multiple"] extends true ? Given[] : Given };
};

const HELP_SPEC: OptionSpec = { type: "boolean", short: "h", describe: "this text" };

/** Reads `--name value`, `--name=value` and the table's environment variables. */
export function parseOptions<T extends OptionTable>(
  table: T,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ParsedOptions<T> {
  const spec = { ...table, help: table.help ?? HELP_SPEC };
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(spec).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, Given | Given[]> = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(`Unknown option "${token.value}" (see --help)`);
    if (token.kind !== "option") continue;
    const option = (spec as OptionTable)[token.name];
    if (option === undefined) throw new UsageError(`Unknown option "${token.rawName}" (see --help)`);
    if (token.name === "help") {
      help = true;
      continue;
    }
    const where = token.rawName.startsWith("--") ? token.rawName : `--${token.name}`;
    let value: string;
    if (option.type === "boolean") value = token.value ?? "true";
    else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-"))) {
        throw new UsageError(`${where} needs a value`);
      }
      value = token.value;
    }
    values[token.name] = option.multiple
      ? [...((values[token.name] as Given[] | undefined) ?? []), { value, where }]
      : { value, where };
  }
  for (const [name, option] of Object.entries(table)) {
    const fromEnv = option.env === undefined ? undefined : env[option.env];
    if (values[name] !== undefined || fromEnv === undefined || option.env === undefined) continue;
    const where = option.env;
    values[name] = option.multiple
      ? fromEnv
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
          .map((value) => ({ value, where }))
      : { value: fromEnv, where };
  }
  return { help, values: values as ParsedOptions<T>["values"] };
}

/** `--help`: the usage line, what the command does, then every option with its variable, by section. */
export function helpText(usage: string, about: string, table: OptionTable, footer = ""): string {
  const lines = [usage, "", about];
  const rows = Object.entries({ ...table, help: table.help ?? HELP_SPEC });
  const sections = [...new Set(rows.map(([, o]) => o.section ?? "Options"))];
  const width = Math.max(...rows.map(([name, o]) => name.length + (o.value ? o.value.length + 3 : 0))) + 4;
  for (const section of sections) {
    lines.push("", `${section}:`);
    for (const [name, option] of rows) {
      if ((option.section ?? "Options") !== section) continue;
      const flag = `--${name}${option.value ? ` <${option.value}>` : ""}`;
      const [first, ...rest] = option.describe.split("\n");
      lines.push(`  ${flag.padEnd(width)} ${first}${option.env ? `  [${option.env}]` : ""}`);
      for (const line of rest) lines.push(`  ${"".padEnd(width)} ${line}`);
    }
  }
  if (footer !== "") lines.push("", footer);
  return `${lines.join("\n")}\n`;
}

export function port(given: Given): number {
  if (!/^\d+$/.test(given.value) || Number(given.value) < 1 || Number(given.value) > 65535) {
    throw new UsageError(`${given.where} must be a port number from 1 to 65535, got "${given.value}"`);
  }
  return Number(given.value);
}

/** An http(s) URL without its trailing slash. */
export function httpUrl(given: Given): string {
  let url: URL;
  try {
    url = new URL(given.value);
  } catch {
    throw new UsageError(`${given.where} must be an http(s) URL such as http://127.0.0.1:8545, got "${given.value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${given.where} must be an http(s) URL, got "${given.value}"`);
  }
  return url.toString().replace(/\/$/, "");
}

export function switchOn(given: Given | undefined): boolean {
  if (given === undefined) return false;
  if (/^(1|true|yes)$/i.test(given.value)) return true;
  if (/^(0|false|no|)$/i.test(given.value)) return false;
  throw new UsageError(`${given.where} must be 1/true or 0/false, got "${given.value}"`);
}

export function nonNegativeInt(given: Given | undefined, fallback: number): number {
  if (given === undefined) return fallback;
  const n = Number(given.value);
  if (given.value === "" || !Number.isInteger(n) || n < 0) {
    throw new UsageError(`${given.where} must be a non-negative integer, got "${given.value}"`);
  }
  return n;
}

/** The value, with an empty variable meaning unset. */
export function text(given: Given | undefined): string | undefined {
  return given === undefined || given.value === "" ? undefined : given.value;
}

/** Reads the command line with `read`; a UsageError is printed above the usage text, and the process exits 2. */
export function orExit<T>(read: () => T, usage: string): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage.trimEnd()}`);
    process.exit(2);
  }
}
