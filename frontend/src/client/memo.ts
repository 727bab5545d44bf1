// One promise per key, shared by every caller while it is pending and kept once it succeeds; a failure (a rejected
// promise, or an answer `failed` calls a failure) is forgotten, so the next caller tries again.

export class PromiseCache<K, V> {
  private readonly entries = new Map<K, Promise<V>>();
  private readonly failed: (value: V) => boolean;
  private readonly values = new Map<K, V>();

  constructor(options: { failed?: (value: V) => boolean } = {}) {
    this.failed = options.failed ?? (() => false);
  }

  get(key: K, load: () => Promise<V>): Promise<V> {
    let pending = this.entries.get(key);
    if (!pending) {
      pending = load();
      this.entries.set(key, pending);
      const settled = pending;
      const forget = () => {
        if (this.entries.get(key) === settled) this.entries.delete(key);
      };
      settled.then((value) => {
        if (this.failed(value)) forget();
        else if (this.entries.get(key) === settled) this.values.set(key, value);
      }, forget);
    }
    return pending;
  }

  /** The value for `key` if its promise has already succeeded, without starting a load. */
  peek(key: K): V | undefined {
    return this.values.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
    this.values.clear();
  }
}
