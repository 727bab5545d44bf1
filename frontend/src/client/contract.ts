// The deployed contract and the tokens, typed from the generated `as const` ABIs (frontend/src/generated/
// merchstand-abi.ts): abitype derives every function's name, arguments and result, so a call to a function that does
// not exist, a wrong argument or a result read by position fails `tsc`. At run time ethers' `Interface` encodes and
// decodes, and `plain` turns its `Result`s into the plain values abitype describes (structs as objects by name,
// integers of up to 48 bits as numbers, wider ones as bigints).
import type {
  Abi,
  AbiParameter,
  AbiParametersToPrimitiveTypes,
  AbiParameterToPrimitiveType,
  ExtractAbiEvent,
  ExtractAbiEventNames,
  ExtractAbiFunction,
  ExtractAbiFunctionNames,
} from "abitype";
import { Interface, type ParamType, type Result } from "ethers/abi";
import { erc20Abi, merchstandAbi } from "../generated/merchstand-abi.ts";

declare module "abitype" {
  interface Register {
    /** ethers answers checksummed strings; the dapp keeps addresses as plain strings. */
    addressType: string;
    /** Byte strings go in and come out as 0x-prefixed hex text. */
    bytesType: { inputs: string; outputs: string };
  }
}

export const merchstand = new Interface(merchstandAbi);
export const erc20 = new Interface(erc20Abi);

export type MerchstandAbi = typeof merchstandAbi;
export type Erc20Abi = typeof erc20Abi;

/** Functions that only read. */
export type ReadName<A extends Abi> = ExtractAbiFunctionNames<A, "view" | "pure">;
/** Functions that send a transaction. */
export type WriteName<A extends Abi> = ExtractAbiFunctionNames<A, "nonpayable" | "payable">;

export type FunctionArgs<A extends Abi, N extends string> = AbiParametersToPrimitiveTypes<
  ExtractAbiFunction<A, N>["inputs"],
  "inputs"
>;

/** A list of parameters as one value: the value itself when there is one, else an object by name (or a tuple). */
type Outputs<P extends readonly AbiParameter[], K extends "inputs" | "outputs"> = P extends readonly [
  infer only extends AbiParameter,
]
  ? AbiParameterToPrimitiveType<only, K>
  : AbiParameterToPrimitiveType<{ type: "tuple"; components: P }, K>;

/** What a read answers: its one output, or its outputs as an object by name. */
export type FunctionResult<A extends Abi, N extends string> = Outputs<ExtractAbiFunction<A, N>["outputs"], "outputs">;

/** Argument list of a call; optional for functions that take none. */
export type ArgsParam<A extends Abi, N extends string> =
  FunctionArgs<A, N> extends readonly [] ? [args?: readonly []] : [args: FunctionArgs<A, N>];

/** Every write of the protocol as `{ fn, args }`, checked against the ABI. */
export type MerchstandCall = {
  [N in WriteName<MerchstandAbi>]: { fn: N; args: FunctionArgs<MerchstandAbi, N> };
}[WriteName<MerchstandAbi>];

/** A write to an ERC-20 token (the approval before a checkout). */
export type TokenCall = {
  [N in WriteName<Erc20Abi>]: { token: string; fn: N; args: FunctionArgs<Erc20Abi, N> };
}[WriteName<Erc20Abi>];

export type ContractCall = MerchstandCall | TokenCall;

export type EventName = ExtractAbiEventNames<MerchstandAbi>;
export type EventArgs<N extends EventName> = Outputs<ExtractAbiEvent<MerchstandAbi, N>["inputs"], "outputs">;
/** A decoded log of the protocol, narrowed by its `name`. */
export type ProtocolEvent = { [N in EventName]: { name: N; args: EventArgs<N> } }[EventName];

/** Calldata of a write, and the contract it goes to (`defaultTo` for the protocol). */
export function encodeCall(call: ContractCall, defaultTo: string): { to: string; data: string } {
  if ("token" in call)
    return { to: call.token, data: erc20.encodeFunctionData(call.fn, call.args as readonly unknown[] as unknown[]) };
  return { to: defaultTo, data: merchstand.encodeFunctionData(call.fn, call.args as readonly unknown[] as unknown[]) };
}

/** An ethers value of type `param` as abitype types it. */
export function plain(param: ParamType, value: unknown): unknown {
  if (param.isArray()) return Array.from(value as Result, (v) => plain(param.arrayChildren, v));
  if (param.isTuple()) {
    const items = Array.from(value as Result, (v, i) => plain(param.components[i] as ParamType, v));
    if (param.components.some((c) => !c.name)) return items;
    return Object.fromEntries(param.components.map((c, i) => [c.name, items[i]]));
  }
  const bits = /^u?int(\d*)$/.exec(param.baseType);
  if (bits) return Number(bits[1] || 256) <= 48 ? Number(value) : BigInt(value as bigint);
  return value;
}

/** Parameters decoded by ethers as one plain value: the value when there is one, else an object (or tuple). */
export function plainOutputs(params: readonly ParamType[], values: Result): unknown {
  if (params.length === 1) return plain(params[0] as ParamType, values[0]);
  const items = params.map((p, i) => plain(p, values[i]));
  if (params.some((p) => !p.name)) return items;
  return Object.fromEntries(params.map((p, i) => [p.name, items[i]]));
}

/**
 * `fn`'s output as `read` answers it, from ethers' decoding of it (the one value, or the Result of all outputs):
 * what a TypeChain contract answers becomes the same plain value.
 */
export function outputOf<N extends ReadName<MerchstandAbi>>(fn: N, value: unknown): FunctionResult<MerchstandAbi, N> {
  const fragment = merchstand.getFunction(fn);
  if (!fragment) throw new Error(`No function ${fn} in the ABI`);
  const { outputs } = fragment;
  const plainValue =
    outputs.length === 1 ? plain(outputs[0] as ParamType, value) : plainOutputs(outputs, value as Result);
  return plainValue as FunctionResult<MerchstandAbi, N>;
}

/** Decodes a read's answer. */
export function decodeResult<A extends Abi, N extends string>(
  iface: Interface,
  fn: N,
  data: string,
): FunctionResult<A, N> {
  const fragment = iface.getFunction(fn);
  if (!fragment) throw new Error(`No function ${fn} in the ABI`);
  return plainOutputs(fragment.outputs, iface.decodeFunctionResult(fragment, data)) as FunctionResult<A, N>;
}

/** A log of the protocol, decoded and narrowed by name; null for a log the ABI does not know. */
export function decodeEvent(log: { topics: readonly string[]; data: string }): ProtocolEvent | null {
  const parsed = merchstand.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return null;
  const args = Object.fromEntries(parsed.fragment.inputs.map((p, i) => [p.name, plain(p, parsed.args[i])]));
  return { name: parsed.name, args } as ProtocolEvent;
}

/** The topic0 of one of the protocol's events. */
export function topicOf(event: EventName): string {
  const fragment = merchstand.getEvent(event);
  if (!fragment) throw new Error(`No event ${event} in the ABI`);
  return fragment.topicHash;
}
