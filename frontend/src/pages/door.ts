// The door of a store's event, for its staff: scan a fan's ticket QR with the camera (BarcodeDetector, or the `qr`
// package's decoder where the browser has none, loaded only here), or paste its text or upload a photo of it. The
// ticket's live code must be signed by its device key for about now (client/door.ts ticketCodeVerdict: a screenshot
// expires), that key bound by the order's buyer (client/tickets.ts), the order (read from the block the ticket names,
// client/door.ts loadTicketOrder) this store's, delivered and not refunded or cancelled (client/door.ts); then the
// chain checks it in once (client/check-in.ts). A second scan says when it was first checked in: from the order's
// TicketCheckedIn log (any door device), and from this device's own log.
import { checkedInAt, checkInFloor, checkInTimeOf, checkInTx } from "../client/check-in.ts";
import { DeviceCheckIns, loadTicketOrder, ticketCodeVerdict, ticketVerdict } from "../client/door.ts";
import { formatDate } from "../client/format.ts";
import type { Product } from "../client/protocol.ts";
import { MAX_TICKET_TEXT, parseTicket, ticketSigner } from "../client/tickets.ts";
import { NotFound, type Page, type PageContext } from "../page.ts";
import { button, h, replace, uid } from "../ui/dom.ts";
import { runTx } from "../ui/tx.ts";
import "../ui/drops.css";
import { orderReference } from "../client/order-ref.ts";

/** What a scanner answers: the native BarcodeDetector's shape, which `qr/decode.js` also offers. */
type Detector = { detect(image: ImageBitmapSource): Promise<{ rawValue: string }[]> };

const SCAN_EVERY_MS = 250;

async function makeDetector(): Promise<Detector> {
  const native = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  if (native) {
    try {
      return new native({ formats: ["qr_code"] });
    } catch {
      // A browser that names the class but can't read QR codes falls through to the decoder below.
    }
  }
  const { BarcodeDetector } = await import("qr/decode.js");
  return new BarcodeDetector({ formats: ["qr_code"] });
}

export default async function doorPage(ctx: PageContext): Promise<Page> {
  const { app } = ctx;
  const storeId = BigInt(ctx.params.storeId as string);
  const store = await app.chain.getStore(storeId);
  if (!store) throw new NotFound();
  const device = new DeviceCheckIns(localStorage, app.manifest.chainId, app.manifest.merchstand, storeId);
  const products = new Map<bigint, Product | null>();
  let detector: Promise<Detector> | null = null;
  const detectorOnce = () => {
    detector ??= makeDetector();
    return detector;
  };

  const result = h("section", { class: "door-result", attrs: { "aria-live": "assertive", "aria-label": "Result" } });
  const status = h("div", { class: "pay-status", attrs: { "aria-live": "polite" } });
  let busy = false;
  let lastText = "";

  const verdict = (kind: "in" | "stop" | "again", title: string, ...lines: string[]) => {
    replace(
      result,
      h(
        "div",
        { class: `door-verdict ${kind}`, attrs: { role: kind === "in" ? "status" : "alert" } },
        h("h2", { text: title }),
        lines.map((text) => h("p", { text })),
      ),
    );
  };

  /** `mine`: this device's own note of the check-in, read before the chain's answer is noted here. */
  const describeFirst = (orderId: bigint, chainAt: bigint, mine: number | null) => {
    const lines = [
      `First checked in ${formatDate(chainAt)}${mine !== null ? ", on this device" : ", at another door"}.`,
    ];
    verdict("again", `Already checked in: order ${orderReference(orderId)}`, ...lines);
  };

  const check = async (text: string) => {
    if (busy) return;
    busy = true;
    lastText = text;
    const say = (words: string) =>
      replace(status, h("p", { class: "tx-stage", attrs: { role: "status" }, text: words }));
    say("Checking the ticket…");
    try {
      const pass = parseTicket(text, { chainId: app.manifest.chainId, contract: app.manifest.merchstand });
      // The live code first, on this device's clock: a stale screenshot is turned away before any chain read.
      const live = ticketCodeVerdict(pass, Date.now());
      if (!live.ok) {
        verdict("stop", live.stale ? "Ask for the live code" : "Don't let in", live.message);
        return;
      }
      // The ticket names the order's block: one read. Without it the order is looked for through the history.
      const record = await loadTicketOrder(app.chain, pass, app.manifest.deploymentBlock, () =>
        say("Looking for this order in the chain's history (this takes longer)…"),
      );
      say("Checking the ticket…");
      if (!record) {
        verdict("stop", "Not a ticket", `There is no order ${orderReference(pass.orderId)}.`);
        return;
      }
      for (const line of record.order.lines)
        if (!products.has(line.productId)) products.set(line.productId, await app.chain.getProduct(line.productId));
      const judged = ticketVerdict(record, ticketSigner(pass), storeId, (id) => products.get(id)?.category);
      if (!judged.ok) {
        verdict("stop", "Don't let in", judged.message);
        return;
      }
      // Checked in already, at any door: the chain knows when (its log, no older than the order's delivery).
      const floor = checkInFloor(record);
      const first = await checkedInAt(app.chain, pass.orderId, floor);
      if (first !== null) {
        const mine = device.get(pass.orderId);
        device.save(pass.orderId, Number(first));
        describeFirst(pass.orderId, first, mine);
        return;
      }
      const what = record.order.lines
        .map((l) => `${l.quantity} × ${products.get(l.productId)?.name ?? `item ${l.productId}`}`)
        .join(", ");
      const receipt = await runTx(app, checkInTx(record), {
        status,
        stageText: (stage) =>
          stage.stage === "wallet" ? `Check in order ${orderReference(pass.orderId)} in your wallet.` : null,
        onError: async (fan) => {
          // Another door checked it in a moment ago: say when.
          const again = await checkedInAt(app.chain, pass.orderId, floor).catch(() => null);
          if (again !== null) describeFirst(pass.orderId, again, device.get(pass.orderId));
          else verdict("stop", "Not checked in", fan.message);
        },
      });
      if (!receipt) return;
      const at = checkInTimeOf(receipt.logs, pass.orderId) ?? BigInt(Math.floor(Date.now() / 1000));
      device.save(pass.orderId, Number(at));
      replace(status);
      verdict("in", `Let in: order ${orderReference(pass.orderId)}`, what, `Checked in ${formatDate(at)}.`);
    } catch (error) {
      const fan = app.explain(error);
      verdict("stop", "Can't check this ticket", fan.message);
      replace(status);
    } finally {
      busy = false;
    }
  };

  // ── camera ──
  const video = h("video", { class: "door-video", attrs: { playsinline: true, muted: true, "aria-label": "Camera" } });
  let stream: MediaStream | null = null;
  let scanTimer: ReturnType<typeof setTimeout> | null = null;
  const stopCamera = () => {
    if (scanTimer) clearTimeout(scanTimer);
    scanTimer = null;
    for (const track of stream?.getTracks() ?? []) track.stop();
    stream = null;
    video.srcObject = null;
    video.classList.remove("live");
    cameraButton.textContent = "Start the camera";
  };
  const scanFrame = async () => {
    scanTimer = null;
    if (!stream || ctx.signal.aborted) return;
    try {
      if (!busy && video.readyState >= 2) {
        const [code] = await (await detectorOnce()).detect(video);
        // The same QR held in front of the camera is read many times a second: act on it once.
        if (code?.rawValue && code.rawValue !== lastText) await check(code.rawValue);
      }
    } catch {
      // A frame the decoder can't read is skipped.
    }
    if (stream) scanTimer = setTimeout(() => void scanFrame(), SCAN_EVERY_MS);
  };
  const startCamera = async () => {
    if (stream) return stopCamera();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.classList.add("live");
      await video.play();
      cameraButton.textContent = "Stop the camera";
      void scanFrame();
    } catch {
      stopCamera();
      verdict(
        "stop",
        "No camera",
        "This device's camera can't be used here. Paste the ticket or upload a photo of it.",
      );
    }
  };
  const cameraButton = button("Start the camera", () => void startCamera(), { class: "btn" });

  // ── paste and upload ──
  const pasteId = uid("ticket-text");
  const pasted = h("textarea", { attrs: { id: pasteId, rows: 3, maxlength: MAX_TICKET_TEXT, spellcheck: false } });
  const pasteForm = h(
    "form",
    { class: "door-paste" },
    h("label", { attrs: { for: pasteId }, text: "Ticket text" }),
    pasted,
    h("button", { class: "btn secondary", attrs: { type: "submit" }, text: "Check ticket" }),
  );
  pasteForm.addEventListener("submit", (e) => {
    e.preventDefault();
    void check(pasted.value);
  });
  const fileId = uid("ticket-photo");
  const file = h("input", { attrs: { id: fileId, type: "file", accept: "image/*" } });
  file.addEventListener("change", async () => {
    const picked = file.files?.[0];
    file.value = "";
    if (!picked) return;
    try {
      const bitmap = await createImageBitmap(picked);
      const [code] = await (await detectorOnce()).detect(bitmap);
      bitmap.close();
      if (!code?.rawValue) {
        verdict("stop", "No ticket found", "No QR code could be read in that picture. Try a sharper photo.");
        return;
      }
      await check(code.rawValue);
    } catch {
      verdict("stop", "No ticket found", "That file couldn't be read as a picture.");
    }
  });

  ctx.signal.addEventListener("abort", stopCamera);
  const el = h(
    "div",
    { class: "door-page" },
    h("h1", { text: `Door · ${store.name}` }),
    h("p", {
      class: "muted",
      text: "Scan a fan's ticket. Each ticket is checked in once, on the chain, so every door device sees it. Connect the wallet of the store's owner or a manager to check tickets in.",
    }),
    h(
      "section",
      { class: "door-scan", attrs: { "aria-labelledby": "scan-title" } },
      h("h2", { attrs: { id: "scan-title" }, text: "Scan" }),
      cameraButton,
      video,
    ),
    result,
    status,
    h(
      "section",
      { class: "door-fallback", attrs: { "aria-labelledby": "fallback-title" } },
      h("h2", { attrs: { id: "fallback-title" }, text: "No camera?" }),
      pasteForm,
      h("div", { class: "field" }, h("label", { attrs: { for: fileId }, text: "Photo of the ticket" }), file),
    ),
  );
  return { title: `Door · ${store.name}`, el, dispose: stopCamera };
}
