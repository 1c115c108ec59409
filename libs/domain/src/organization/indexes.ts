// Helpers for the state's many-to-many indexes (userId -> groups, principal -> projects, ...).

/** Adds `value` to the set under `key`, creating it: the shape of every many-to-many index. */
export function addToIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let values = index.get(key);
  if (!values) index.set(key, (values = new Set()));
  values.add(value);
}

/** Removes `value` from the set under `key`, dropping empty sets so indexes don't grow forever. */
export function removeFromIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const values = index.get(key);
  values?.delete(value);
  if (values?.size === 0) index.delete(key);
}
