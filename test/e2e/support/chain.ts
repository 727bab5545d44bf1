// Setup a browser test is not about, done directly on the local chain from the node's unlocked test accounts: send a
// protocol call, read one, and pick an event's arguments out of a receipt.
import {
  Contract,
  type ContractTransactionResponse,
  type HDNodeWallet,
  Interface,
  type JsonRpcProvider,
  type TransactionReceipt,
} from "ethers";
import { merchstandAbi } from "../../../frontend/src/generated/merchstand-abi.ts";

export const merchstand = new Interface(merchstandAbi);

export function protocolCalls(provider: JsonRpcProvider, address: string) {
  /** A read of the protocol, decoded by ethers (`[0]` is the first output). */
  const call = async (fn: string, args: unknown[]) =>
    merchstand.decodeFunctionResult(
      fn,
      await provider.call({ to: address, data: merchstand.encodeFunctionData(fn, args) }),
    );

  /** Sends `fn` from an unlocked node account and waits for it to be mined; throws when it reverted. */
  const send = async (from: HDNodeWallet, fn: string, args: unknown[], value = 0n): Promise<TransactionReceipt> => {
    const signer = await provider.getSigner(from.address);
    const contract = new Contract(address, merchstandAbi as never, signer);
    const tx = (await contract.getFunction(fn)(...args, { value })) as ContractTransactionResponse;
    const receipt = await tx.wait();
    if (receipt?.status !== 1) throw new Error(`${fn} failed`);
    return receipt;
  };

  return { call, send };
}

/** The arguments of the first `name` event of the protocol in a receipt. */
export function eventArgs(receipt: TransactionReceipt, name: string) {
  for (const log of receipt.logs) {
    const parsed = merchstand.parseLog(log);
    if (parsed?.name === name) return parsed.args;
  }
  throw new Error(`no ${name} event in ${receipt.hash}`);
}
