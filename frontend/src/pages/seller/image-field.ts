// Picture upload by drag-and-drop or file picker: each file is checked (type, size, contents) before upload, shown
// at once from the local file, then with its IPFS CID once the upload answers. With uploads off in the manifest,
// the seller pastes CIDs instead.
import type { App } from "../../app.ts";
import { normalizeCidRef } from "../../client/cid.ts";
import {
  checkImageFile,
  formatBytes,
  IMAGE_LIMIT_TEXT,
  MAX_UPLOAD_IMAGE_BYTES,
  UPLOAD_IMAGE_TYPES,
  UploadError,
  uploadImage,
} from "../../client/upload.ts";
import { ipfsImage } from "../../ui/components.ts";
import { button, h, replace, uid } from "../../ui/dom.ts";
import { fitImage } from "./image-resize.ts";

type Item = {
  cid: string | null;
  preview: HTMLElement;
  error: string | null;
  uploading: Promise<void> | null;
  /** What was done to the file before upload ("Resized from 6.1 MB to 1.3 MB"). */
  note?: string;
};

export type ImageField = {
  el: HTMLElement;
  /** CIDs of the uploaded pictures, in order. */
  cids(): string[];
  /** Resolves once every upload in flight has answered. */
  settled(): Promise<void>;
  busy(): boolean;
  /** Local preview URLs (blob:) or CIDs, for the live preview. */
  previews(): { cid: string | null; url: string | null }[];
};

export function imageField(
  app: App,
  options: { label: string; max: number; initial?: string[]; onChange?: () => void },
): ImageField {
  const items: (Item & { url: string | null })[] = [];
  const list = h("ul", { class: "upload-list", attrs: { "aria-live": "polite" } });
  const problems = h("div", { class: "upload-problems", attrs: { "aria-live": "assertive" } });
  const changed = () => {
    render();
    options.onChange?.();
  };
  const target = app.manifest.ipfsUpload;

  const render = () => {
    replace(
      list,
      items.map((item, i) =>
        h(
          "li",
          { class: `upload-item${item.error ? " failed" : ""}` },
          item.preview,
          h(
            "div",
            { class: "upload-meta" },
            item.cid
              ? h("p", { class: "small" }, "CID ", h("code", { class: "cid", text: item.cid }))
              : item.error
                ? h("p", { class: "small error-text", attrs: { role: "alert" }, text: item.error })
                : h("p", { class: "small muted", text: item.url ? "Uploading to IPFS…" : "Resizing in your browser…" }),
            item.note && !item.error ? h("p", { class: "small muted resized", text: item.note }) : null,
            button(
              "Remove",
              () => {
                items.splice(i, 1);
                if (item.url) URL.revokeObjectURL(item.url);
                changed();
              },
              { class: "btn link small", attrs: { "aria-label": `Remove picture ${i + 1}` } },
            ),
          ),
        ),
      ),
    );
  };

  for (const cid of options.initial ?? []) {
    items.push({
      cid,
      url: null,
      preview: ipfsImage(app, cid, "Product picture", "thumb"),
      error: null,
      uploading: null,
    });
  }

  const addFiles = (files: FileList | File[]) => {
    replace(problems);
    for (const file of Array.from(files)) {
      if (items.filter((i) => !i.error).length >= options.max) {
        problems.append(h("p", { class: "notice danger", text: `At most ${options.max} pictures.` }));
        break;
      }
      // A picture over the cap is resized here rather than refused (./image-resize.ts); other problems stop it.
      const tooBig = file.type in UPLOAD_IMAGE_TYPES && file.size > MAX_UPLOAD_IMAGE_BYTES;
      const early = tooBig ? null : checkImageFile(file);
      if (early) {
        problems.append(h("p", { class: "notice danger upload-error", attrs: { role: "alert" }, text: early }));
        continue;
      }
      if (!target) continue;
      const item: (typeof items)[number] = {
        cid: null,
        url: null,
        preview: h("div", { class: "thumb placeholder", attrs: { "aria-hidden": "true" } }),
        error: null,
        uploading: null,
      };
      item.uploading = (tooBig ? fitImage(file) : Promise.resolve(file))
        .then(async (ready) => {
          if (!ready) {
            // Not a picture this browser can decode (or it can't get under the cap): refused, like the checks above.
            items.splice(items.indexOf(item), 1);
            const mb = Math.ceil((file.size / (1024 * 1024)) * 10) / 10;
            problems.append(
              h("p", {
                class: "notice danger upload-error",
                attrs: { role: "alert" },
                text: `"${file.name}" is ${mb} MB and couldn't be resized in this browser. Pictures must be ${IMAGE_LIMIT_TEXT}.`,
              }),
            );
            return;
          }
          if (ready !== file) item.note = `Resized from ${formatBytes(file.size)} to ${formatBytes(ready.size)}.`;
          const url = URL.createObjectURL(ready);
          const img = h("img", { class: "thumb", attrs: { alt: file.name } });
          img.src = url;
          item.url = url;
          item.preview = img;
          changed();
          const { cid } = await uploadImage(target, ready);
          item.cid = cid;
        })
        .catch((error: unknown) => {
          item.error = error instanceof UploadError ? error.message : "The upload failed. Try again.";
        })
        .finally(() => {
          item.uploading = null;
          changed();
        });
      items.push(item);
    }
    changed();
  };

  const inputId = uid("images");
  let control: HTMLElement;
  if (target) {
    const input = h("input", {
      class: "visually-hidden",
      attrs: {
        id: inputId,
        type: "file",
        accept: "image/png,image/jpeg,image/webp,image/gif",
        multiple: options.max > 1,
      },
    });
    input.addEventListener("change", () => {
      if (input.files) addFiles(input.files);
      input.value = "";
    });
    const zone = h(
      "div",
      { class: "dropzone" },
      h(
        "p",
        null,
        h("strong", { text: "Drop pictures here" }),
        " or ",
        h("label", { attrs: { for: inputId }, class: "btn secondary small", text: "Choose files" }),
      ),
      h("p", {
        class: "muted small",
        text: `${IMAGE_LIMIT_TEXT} (bigger photos are resized in your browser). Checked before upload; shown with their IPFS CID.`,
      }),
      input,
    );
    zone.addEventListener("dragover", (e) => {
      e.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer?.files) addFiles(e.dataTransfer.files);
    });
    control = zone;
  } else {
    const cidInput = h("input", { attrs: { id: inputId, type: "text", placeholder: "bafy…", autocomplete: "off" } });
    const add = button(
      "Add",
      () => {
        replace(problems);
        const cid = normalizeCidRef(cidInput.value.trim());
        if (!cid) {
          problems.append(
            h("p", { class: "notice danger", attrs: { role: "alert" }, text: "That is not an IPFS CID." }),
          );
          return;
        }
        items.push({ cid, url: null, preview: ipfsImage(app, cid, "Picture", "thumb"), error: null, uploading: null });
        cidInput.value = "";
        changed();
      },
      { class: "btn secondary small" },
    );
    control = h(
      "div",
      { class: "cid-entry" },
      h("p", {
        class: "muted small",
        text: "Uploads are turned off in this build: add the picture to IPFS yourself and paste its CID.",
      }),
      h(
        "div",
        { class: "inline" },
        h("label", { class: "visually-hidden", attrs: { for: inputId }, text: "Picture CID" }),
        cidInput,
        add,
      ),
    );
  }

  render();
  return {
    el: h("fieldset", { class: "image-field" }, h("legend", { text: options.label }), control, problems, list),
    cids: () => items.flatMap((i) => (i.cid && !i.error ? [i.cid] : [])),
    settled: async () => {
      await Promise.all(items.map((i) => i.uploading));
    },
    busy: () => items.some((i) => i.uploading !== null),
    previews: () => items.filter((i) => !i.error).map((i) => ({ cid: i.cid, url: i.url })),
  };
}
