/** `build` run once per key object, its result kept for as long as the key lives (a policy, a dataset, a device plan). */
export function oncePer<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const results = new WeakMap<K, V>();
  return (key) => {
    if (results.has(key)) return results.get(key) as V;
    const value = build(key);
    results.set(key, value);
    return value;
  };
}
