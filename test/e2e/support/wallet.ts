// A test wallet injected into the page before any dapp script runs: EIP-1193 requests are forwarded to the local
// Hardhat node (whose accounts are unlocked), and the wallet announces itself through EIP-6963. Tests steer it
// through `window.__testWallet` (chain id it claims, requests it rejects as a user would).

export type TestWalletOptions = {
  rpcUrl: string;
  account: string;
  /** The chain id the wallet claims to be on (the node's own when omitted). */
  chainId?: number;
  /** Methods the "user" rejects with EIP-1193 code 4001. */
  reject?: string[];
};

/**
 * The script that runs in the page before the dapp. It is plain JavaScript text, not a serialized TS function:
 * the test runner's transpiler may add helper calls (e.g. `__name`) to function bodies that do not exist in the page.
 */
const WALLET_SOURCE = `(options) => {
  const listeners = new Map();
  const state = {
    chainId: options.chainId ?? 0,
    reject: new Set(options.reject ?? []),
    requests: [],
    account: options.account,
  };
  const emit = (event, value) => {
    for (const l of listeners.get(event) ?? []) l(value);
  };
  const forward = async (method, params) => {
    const response = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: Date.now(), method, params }),
    });
    const body = await response.json();
    if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code, data: body.error.data });
    return body.result;
  };
  const provider = {
    isTestWallet: true,
    async request({ method, params = [] }) {
      state.requests.push(method);
      if (state.reject.has(method)) throw Object.assign(new Error("User rejected the request."), { code: 4001 });
      switch (method) {
        case "eth_requestAccounts":
        case "eth_accounts":
          return [state.account];
        case "eth_chainId":
          if (!state.chainId) state.chainId = Number(BigInt(await forward("eth_chainId", [])));
          return "0x" + state.chainId.toString(16);
        case "wallet_switchEthereumChain": {
          const wanted = Number(BigInt(params[0].chainId));
          const real = Number(BigInt(await forward("eth_chainId", [])));
          if (wanted !== real) throw Object.assign(new Error("Unrecognized chain"), { code: 4902 });
          state.chainId = wanted;
          emit("chainChanged", "0x" + wanted.toString(16));
          return null;
        }
        default:
          return forward(method, params);
      }
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
    },
    removeListener(event, listener) {
      listeners.get(event)?.delete(listener);
    },
  };
  const info = {
    uuid: "5b4c1c3e-0000-4000-8000-000000000001",
    name: "Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23333'/%3E%3C/svg%3E",
    rdns: "test.merchstand.wallet",
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
  window.__testWallet = {
    state,
    setChainId(chainId) {
      state.chainId = chainId;
      emit("chainChanged", "0x" + chainId.toString(16));
    },
    // Switches the selected account, as a user does in a wallet (seller, buyer, arbiter in one page).
    setAccount(account) {
      state.account = account;
      emit("accountsChanged", [account]);
    },
    reject(method, on) {
      if (on) state.reject.add(method);
      else state.reject.delete(method);
    },
  };
}`;

/** The init script (for `context.addInitScript({ content })`) that installs a test wallet with `options`. */
export function testWalletScript(options: TestWalletOptions): string {
  return `(${WALLET_SOURCE})(${JSON.stringify(options)});`;
}
