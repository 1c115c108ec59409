/**
 * A bounded cache keyed by object identity that never keeps a key alive. Two WeakMaps: the
 * newer takes every insertion; once it holds `capacity` entries it becomes the older and the
 * previous older is dropped, and a hit in the older moves the entry back to the newer. So at
 * most twice `capacity` entries are reachable, the ones used lately survive, and an entry goes
 * as soon as its key does (a read model's replaced document, say).
 */
export class IdentityCache<K extends object, V> {
  private newer = new WeakMap<K, V>();
  private older = new WeakMap<K, V>();
  private size = 0;

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.newer.get(key);
    if (value !== undefined) return value;
    const old = this.older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  /** For a key `get` did not find. */
  set(key: K, value: V): void {
    if (this.size >= this.capacity) {
      this.older = this.newer;
      this.newer = new WeakMap();
      this.size = 0;
    }
    this.newer.set(key, value);
    this.size++;
  }
}
