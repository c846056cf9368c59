/**
 * The one argmax of the project: the index of the largest value, the first on ties, as a board's int8
 * interpreter picks its class.
 */

/** Index of the largest of `length` values of `v` starting at `from`, counted from `from`. */
export function argmax(v: ArrayLike<number>, from = 0, length = v.length - from): number {
  let best = 0
  for (let i = 1; i < length; i++) if (v[from + i] > v[from + best]) best = i
  return best
}

/** Per row of `classes` values (row-major [n, classes]), the index of the largest; the first on ties. */
export function argmaxRows(values: ArrayLike<number>, classes: number): Int32Array {
  const n = Math.floor(values.length / classes)
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = argmax(values, i * classes, classes)
  return out
}
