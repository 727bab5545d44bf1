// Writes go through one path: check the wallet's chain, simulate on the read RPC (so a revert becomes a sentence
// before the wallet even opens), send through the wallet, then wait for the receipt on the read RPC.
import type { Chain } from "./chain.ts";
import { type ContractCall, encodeCall } from "./contract.ts";
import { FanFacingError, WrongNetworkError } from "./errors.ts";
import { toQuantity } from "./hex.ts";
import type { WalletSession } from "./wallet.ts";

export type TxStage =
  | { stage: "simulating" }
  | { stage: "wallet"; what: string }
  | { stage: "pending"; hash: string }
  | { stage: "mined"; hash: string; blockNumber: number };

export type Receipt = {
  status: string;
  blockNumber: string;
  transactionHash: string;
  logs: {
    address: string;
    topics: string[];
    data: string;
    blockNumber: string;
    transactionHash: string;
    logIndex: string;
  }[];
};

/** A write checked against the generated ABI (`{ fn, args }`, or `{ token, fn, args }` for a token). */
export type TxRequest = ContractCall & {
  value?: bigint;
  /** What the wallet is asking for, in the fan's words ("Pay 0.05 ETH"). */
  what: string;
};

export function ensureChain(wallet: WalletSession, chainId: number): void {
  if (wallet.chainId !== chainId) throw new WrongNetworkError(wallet.chainId ?? 0);
}

export async function waitForReceipt(
  chain: Chain,
  hash: string,
  pollMs = 1_000,
  timeoutMs = 300_000,
): Promise<Receipt> {
  const started = Date.now();
  for (;;) {
    const receipt = await chain.rpc.request<Receipt | null>("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    if (Date.now() - started > timeoutMs) {
      throw new FanFacingError(
        "unreachable",
        "The transaction is taking unusually long. Check your wallet for its status.",
      );
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function sendContractTx(
  chain: Chain,
  wallet: WalletSession,
  chainId: number,
  request: TxRequest,
  onStage: (stage: TxStage) => void = () => {},
): Promise<Receipt> {
  ensureChain(wallet, chainId);
  if (!wallet.account) throw new FanFacingError("wallet", "Connect your wallet first.");
  const { to, data } = encodeCall(request, chain.address);
  onStage({ stage: "simulating" });
  const call: Record<string, string> = { from: wallet.account, to, data };
  if (request.value) call.value = toQuantity(request.value);
  // Throws the revert (decoded by explainError) before the fan is asked to sign something that would fail.
  await chain.rpc.request("eth_call", [call, "latest"]);
  onStage({ stage: "wallet", what: request.what });
  const hash = await wallet.sendTransaction({ to, data, value: request.value ?? 0n });
  onStage({ stage: "pending", hash });
  const receipt = await waitForReceipt(chain, hash);
  if (receipt.status !== "0x1") {
    throw new FanFacingError("revert", "The transaction failed on chain. Nothing was charged except gas.");
  }
  onStage({ stage: "mined", hash, blockNumber: Number(BigInt(receipt.blockNumber)) });
  return receipt;
}
