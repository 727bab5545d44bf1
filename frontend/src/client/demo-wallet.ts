// A demo account (client/demo-accounts.ts) as an EIP-1193 provider: an ethers Wallet that signs in the page and
// sends through the dapp's own RPC. It answers the few wallet methods client/wallet.ts uses and forwards every
// read, so WalletSession, client/transactions.ts and every page treat it exactly like an injected wallet.
// Loaded lazily (a dynamic import in client/demo-accounts.ts): only the local development chain ever reaches it.
import { getBytes } from "ethers/utils";
import { Wallet } from "ethers/wallet";
import type { DemoAccount } from "./demo-accounts.ts";
import { toQuantity } from "./hex.ts";
import type { Manifest } from "./manifest.ts";
import { HttpRpc, type RpcClient, RpcError } from "./rpc.ts";
import type { Eip1193Provider } from "./wallet.ts";

/** Used when the node has no `eth_maxPriorityFeePerGas` (1 gwei). */
const FALLBACK_PRIORITY_FEE = 1_000_000_000n;

type TxParams = { to?: string; data?: string; value?: string; from?: string };

export function demoProvider(
  account: DemoAccount,
  manifest: Pick<Manifest, "chainId" | "rpcUrl">,
  rpc: RpcClient = new HttpRpc(manifest.rpcUrl),
): Eip1193Provider {
  const wallet = new Wallet(account.privateKey);
  if (wallet.address.toLowerCase() !== account.address.toLowerCase()) {
    throw new RpcError(4100, `The demo account's key does not belong to ${account.address}`);
  }
  const chainHex = toQuantity(manifest.chainId);

  const send = async (tx: TxParams): Promise<string> => {
    if (tx.from && tx.from.toLowerCase() !== wallet.address.toLowerCase()) {
      throw new RpcError(4100, "The demo wallet can only send from its own account");
    }
    const call = { from: wallet.address, to: tx.to, data: tx.data ?? "0x", value: tx.value ?? "0x0" };
    const [nonce, gas, block, priority] = await Promise.all([
      rpc.request<string>("eth_getTransactionCount", [wallet.address, "pending"]),
      rpc.request<string>("eth_estimateGas", [call]),
      rpc.request<{ baseFeePerGas?: string } | null>("eth_getBlockByNumber", ["latest", false]),
      rpc.request<string>("eth_maxPriorityFeePerGas").then(BigInt, () => FALLBACK_PRIORITY_FEE),
    ]);
    const baseFee = BigInt(block?.baseFeePerGas ?? "0x0");
    const signed = await wallet.signTransaction({
      type: 2,
      chainId: manifest.chainId,
      nonce: Number(BigInt(nonce)),
      to: tx.to,
      data: call.data,
      value: BigInt(call.value),
      // A margin over the estimate, as wallets add: the state may move between estimate and inclusion.
      gasLimit: (BigInt(gas) * 12n) / 10n,
      maxPriorityFeePerGas: priority,
      maxFeePerGas: baseFee * 2n + priority,
    });
    return rpc.request<string>("eth_sendRawTransaction", [signed]);
  };

  return {
    async request({ method, params }) {
      const p = (Array.isArray(params) ? params : []) as unknown[];
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [wallet.address];
        case "eth_chainId":
          return chainHex;
        case "wallet_switchEthereumChain": {
          const wanted = (p[0] as { chainId?: string } | undefined)?.chainId;
          if (wanted !== undefined && Number(BigInt(wanted)) !== manifest.chainId) {
            throw new RpcError(4902, "The demo wallet only knows the local test chain");
          }
          return null;
        }
        case "personal_sign":
          return wallet.signMessage(getBytes(String(p[0])));
        case "eth_signTypedData_v4": {
          const typed = JSON.parse(String(p[1])) as {
            domain: Record<string, unknown>;
            types: Record<string, { name: string; type: string }[]>;
            message: Record<string, unknown>;
          };
          // ethers derives the domain type itself and refuses it in `types`.
          const { EIP712Domain: _domain, ...types } = typed.types;
          return wallet.signTypedData(typed.domain, types, typed.message);
        }
        case "eth_sendTransaction":
          return send((p[0] ?? {}) as TxParams);
        case "eth_sign":
        case "eth_signTransaction":
        case "wallet_addEthereumChain":
          throw new RpcError(4200, `The demo wallet does not support ${method}`);
        default:
          return rpc.request(method, p);
      }
    },
  };
}
