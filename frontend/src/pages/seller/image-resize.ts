// Pictures over the upload cap (client/upload.ts MAX_UPLOAD_IMAGE_BYTES) are scaled down and re-encoded in the
// seller's own browser instead of being refused: a phone photo of 6 MB becomes a WebP (or JPEG where the browser
// can't encode WebP) under the cap, at most 2,048 px on its long side.
import { MAX_UPLOAD_IMAGE_BYTES } from "../../client/upload.ts";

/** The longest side a resized picture keeps: sharp on any product page, a fraction of a camera's 4,000+ px. */
const MAX_SIDE = 2048;
/** Tries, from the first size and quality down; each smaller when the last was still over the cap. */
const ATTEMPTS = [
  { scale: 1, quality: 0.86 },
  { scale: 1, quality: 0.72 },
  { scale: 0.75, quality: 0.72 },
  { scale: 0.5, quality: 0.7 },
  { scale: 0.35, quality: 0.65 },
  { scale: 0.25, quality: 0.6 },
];

type Canvas = {
  width: number;
  height: number;
  getContext(kind: "2d"): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
};

function canvasOf(width: number, height: number): Canvas {
  if (typeof OffscreenCanvas !== "undefined") return new OffscreenCanvas(width, height);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encode(canvas: Canvas, type: string, quality: number): Promise<Blob | null> {
  if (typeof OffscreenCanvas !== "undefined" && canvas instanceof OffscreenCanvas) {
    return canvas.convertToBlob({ type, quality }).catch(() => null);
  }
  return new Promise((done) => (canvas as HTMLCanvasElement).toBlob(done, type, quality));
}

/**
 * `file` itself when it is within `cap` bytes; else the picture scaled and re-encoded under `cap`, named after the
 * original with the new type's extension. Null when the browser can't decode it or can't get it under the cap.
 */
export async function fitImage(file: File, cap = MAX_UPLOAD_IMAGE_BYTES): Promise<File | null> {
  if (file.size <= cap) return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  try {
    const fit = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    let type = "image/webp";
    for (const attempt of ATTEMPTS) {
      const width = Math.max(1, Math.round(bitmap.width * fit * attempt.scale));
      const height = Math.max(1, Math.round(bitmap.height * fit * attempt.scale));
      const canvas = canvasOf(width, height);
      const context = canvas.getContext("2d");
      if (!context) return null;
      context.drawImage(bitmap, 0, 0, width, height);
      let blob = await encode(canvas, type, attempt.quality);
      // A browser that can't encode WebP answers PNG (the spec's fallback): JPEG is everywhere.
      if (!blob || blob.type !== type) {
        type = "image/jpeg";
        blob = await encode(canvas, type, attempt.quality);
      }
      if (blob && blob.type === type && blob.size <= cap) {
        const base = file.name.replace(/\.[^.]*$/, "") || "picture";
        return new File([blob], `${base}.${type === "image/webp" ? "webp" : "jpg"}`, { type });
      }
    }
    return null;
  } finally {
    bitmap.close();
  }
}
