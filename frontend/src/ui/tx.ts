// The one place a page sends a transaction and shows how it goes: the stage (checking, what the wallet is asking
// for, sent with its hash, done) in the page's status element and as toasts, and any failure as the sentence
// client/errors.ts (or client/seller-errors.ts on staff pages) makes of it. Fan pages and seller pages alike.
import type { App } from "../app.ts";
import type { PayStage } from "../client/checkout.ts";
import type { FanError } from "../client/errors.ts";
import { shortAddress } from "../client/format.ts";
import { type Receipt, sendContractTx, type TxRequest } from "../client/transactions.ts";
import { transactionDone } from "./balances.ts";
import { externalLink, h, replace } from "./dom.ts";
import { openWalletDialog } from "./layout.ts";

export type TxRunOptions = {
  /** Where the stages and the outcome are shown; null: toasts only. */
  status: HTMLElement | null;
  /** The success sentence, shown in `status` and as a toast; omitted when the page shows success itself. */
  done?: string;
  /** What a stage says, when a page words it its own way; null falls back to the default sentence. */
  stageText?: (stage: PayStage) => string | null;
  /** The sentence for a failure (default: the fan sentences of client/errors.ts). */
  explain?: (error: unknown) => FanError;
  /** Called after the failure is shown (e.g. reload a stale order). */
  onError?: (fan: FanError) => void | Promise<void>;
};

function defaultStageText(stage: PayStage): string {
  switch (stage.stage) {
    case "simulating":
      return "Checking…";
    case "wallet":
      return `Confirm in your wallet: ${stage.what}.`;
    case "pending":
      return "Sent. Waiting for the network…";
    case "mined":
      return `Included in block ${stage.blockNumber}.`;
    case "approve":
      return "Step 1 of 2: allow Merchstand to take the payment…";
    case "permit":
      return "Sign the payment permit in your wallet (no gas)…";
  }
}

/** The transaction's hash, linked to the explorer when the manifest names one. */
export function txHashLine(app: App, hash: string): HTMLElement {
  const href = app.explorerTx(hash);
  return h(
    "p",
    { class: "muted small" },
    "Transaction ",
    href ? externalLink(href, h("code", { text: shortAddress(hash) })) : h("code", { class: "tx-hash", text: hash }),
  );
}

/**
 * Runs `send` (which reports its stages) with the stages shown, and resolves to its result, or null once the
 * failure is shown. Needs a connected wallet: without one it says so and opens the wallet dialog.
 */
export async function runTransaction<R>(
  app: App,
  send: (onStage: (stage: PayStage) => void) => Promise<R>,
  options: TxRunOptions,
): Promise<R | null> {
  const { status } = options;
  let hash: string | null = null;
  const show = (...children: (Node | null)[]) => {
    if (status) replace(status, ...children);
  };
  if (!app.wallet?.account) {
    show(h("p", { class: "tx-stage danger", attrs: { role: "status" }, text: "Connect your wallet first." }));
    await openWalletDialog(app);
    return null;
  }
  try {
    const result = await send((stage) => {
      if (stage.stage === "pending") {
        hash = stage.hash;
        const href = app.explorerTx(stage.hash);
        app.toast({
          kind: "info",
          message: `Transaction sent: ${shortAddress(stage.hash)}`,
          link: href ? { href, label: "View" } : undefined,
        });
      }
      const text = options.stageText?.(stage) ?? defaultStageText(stage);
      show(
        h("p", { class: `stage tx-stage ${stage.stage}`, attrs: { role: "status" }, text }),
        hash ? txHashLine(app, hash) : null,
      );
    });
    if (options.done) {
      show(h("p", { class: "stage tx-stage ok", attrs: { role: "status" }, text: options.done }));
      app.toast({ kind: "success", message: options.done });
    }
    return result;
  } catch (error) {
    const fan = options.explain ? options.explain(error) : app.explain(error);
    if (status) {
      show(
        h("p", { class: "notice danger error-sentence", attrs: { role: "alert" }, text: fan.message }),
        hash ? txHashLine(app, hash) : null,
      );
    } else {
      app.toast({ kind: "error", message: fan.message });
    }
    await options.onError?.(fan);
    return null;
  } finally {
    // Balances and credits are read again whatever happened: a transaction that failed on chain still paid gas.
    transactionDone(app);
  }
}

/** Sends one protocol (or token) call through {@link runTransaction}; resolves to the receipt, or null. */
export function runTx(app: App, request: TxRequest, options: TxRunOptions): Promise<Receipt | null> {
  return runTransaction(
    app,
    (onStage) => {
      const wallet = app.wallet;
      if (!wallet) throw new Error("no wallet");
      return sendContractTx(app.chain, wallet, app.manifest.chainId, request, onStage);
    },
    options,
  );
}
