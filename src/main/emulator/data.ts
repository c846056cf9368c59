/**
 * A board's own user data set (docs/method.md §0: U_b, split on the board into train and test). It lives in the
 * virtual board's memory only: no message of the protocol can carry a sample of it to the console.
 */
export interface PrivateSplit {
  /** n samples, row-major, each of prod(inputShape) floats (pixels / 255 for images). */
  x: Float32Array
  /** n labels in [0, classes). */
  y: Int32Array
  n: number
}

export interface PrivateData {
  inputShape: number[]
  classes: number
  train: PrivateSplit
  test: PrivateSplit
}

/** The float sample i of a split. */
export const sampleOf = (s: PrivateSplit, i: number, size: number): Float32Array => s.x.subarray(i * size, (i + 1) * size)

/** Per class, how many samples of a split carry that label. */
export function classCounts(s: PrivateSplit, classes: number): number[] {
  const c = new Array<number>(classes).fill(0)
  for (let i = 0; i < s.n; i++) if (s.y[i] >= 0 && s.y[i] < classes) c[s.y[i]]++
  return c
}
