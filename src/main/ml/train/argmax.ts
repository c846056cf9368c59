/** Index of the largest of row `row`'s logits (row-major [n, classes]); the first on ties. */
export function argmaxRow(logits: Float32Array, row: number, classes: number): number {
  let best = 0
  let bestV = -Infinity
  for (let c = 0; c < classes; c++) {
    const v = logits[row * classes + c]
    if (v > bestV) {
      bestV = v
      best = c
    }
  }
  return best
}

/** How many rows' largest logit is at their label. logits: row-major [n, classes]. */
export function countCorrect(logits: Float32Array, labels: Int32Array, classes: number): number {
  let ok = 0
  for (let i = 0; i < labels.length; i++) if (argmaxRow(logits, i, classes) === labels[i]) ok++
  return ok
}
