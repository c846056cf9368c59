/**
 * The arithmetic of reverse distillation on the console (docs/method.md §5 and §6), pure: logits in,
 * targets and weights out, no I/O and no model. Logits are row-major [n, k] Float32Arrays. Every function
 * computes in the order the round always has, so the same inputs give the same bits.
 */

/** omega_b = n_b / sum n: each board's share of the samples behind the accepted knowledge. */
export function omegaOf(nTrain: number[]): number[] {
  const total = nTrain.reduce((a, x) => a + x, 0)
  return nTrain.map((x) => x / total)
}

/** d(x) = sum_b omega_b * (z_{S_b}(x) - z_{S_r}(x)), accumulated board by board. */
export function logitDifference(zSb: Float32Array[], zSr: Float32Array, omega: number[]): Float32Array {
  const d = new Float32Array(zSr.length)
  zSb.forEach((z, j) => {
    for (let i = 0; i < d.length; i++) d[i] += omega[j] * (z[i] - zSr[i])
  })
  return d
}

/** a - b, element by element (e.g. z_{T_{r+1}} - z_{T_r} when only tutors changed the teacher). */
export function subtract(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length)
  for (let i = 0; i < out.length; i++) out[i] = a[i] - b[i]
  return out
}

/** The teacher's soft targets of step 5: z_{T_r}(x) + d(x). */
export function teacherTargets(zT: Float32Array, d: Float32Array): Float32Array {
  const target = new Float32Array(zT.length)
  for (let i = 0; i < target.length; i++) target[i] = zT[i] + d[i]
  return target
}

/** ||d(x)|| for each of the n rows of a [n, k] difference. */
export function rowNorms(d: Float32Array, n: number, k: number): Float32Array {
  const dn = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let c = 0; c < k; c++) s += d[i * k + c] ** 2
    dn[i] = Math.sqrt(s)
  }
  return dn
}

/**
 * w(x) = 1 + beta * ||d(x)|| / mean_x ||d(x)||: samples weigh more where the users differ. Where d is zero
 * on every row the mean is taken as 1, so every weight is 1.
 */
export function sampleWeights(d: Float32Array, n: number, k: number, beta: number): Float32Array {
  const dn = rowNorms(d, n, k)
  let sum = 0
  for (let i = 0; i < n; i++) sum += dn[i]
  const meanD = (n ? sum / n : NaN) || 1
  return dn.map((x) => 1 + (beta * x) / meanD)
}

/** How many of the labels y fall in each of k classes. */
export function classCounts(y: ArrayLike<number>, k: number): number[] {
  const out = new Array<number>(k).fill(0)
  for (let i = 0; i < y.length; i++) out[y[i]]++
  return out
}

/** The element-wise sum of several boards' class counts (k classes). */
export function sumCounts(counts: number[][], k: number): number[] {
  const out = new Array<number>(k).fill(0)
  for (const c of counts) c.forEach((x, i) => (out[i] += x))
  return out
}

/**
 * Class weights moved toward the users' class mix by gamma: c_w(c) = (1 - gamma) + gamma * pi_users(c) /
 * pi_presumed(c), with pi the class's share of the users' counts and of the presumed labels. A class with
 * no presumed sample keeps weight 1; with no user counts at all, pi_users is 0.
 */
export function classWeights(presumedCounts: number[], userCounts: number[], gamma: number): number[] {
  const n = presumedCounts.reduce((a, b) => a + b, 0)
  const userTotal = userCounts.reduce((a, b) => a + b, 0) || 1
  return presumedCounts.map((c, i) => (c ? 1 - gamma + (gamma * (userCounts[i] / userTotal)) / (c / n) : 1))
}
/**
 * Classes the users label differently (a preference shift), read from the knowledge alone: a class is
 * relabelled when a board's adapted student moves most of the presumed samples of that class, which S_r
 * classifies right, to one other class, and the board itself holds no sample labelled with it. A board
 * that holds fewer than half of the classes (a prior shift) moves every class it never saw; that is
 * forgetting, not a label of its user's, so such boards name no relabelled class.
 */
export function relabelledClasses(srPred: Int32Array, y: Int32Array, classes: number, boards: Array<{ pred: Int32Array; counts: number[] }>): Map<number, number> {
  const out = new Map<number, number>()
  for (const { pred: p, counts } of boards) {
    if (counts.filter((c) => c > 0).length * 2 < classes) continue
    for (let c = 0; c < classes; c++) {
      if (counts[c] > 0) continue
      const moved = new Array<number>(classes).fill(0)
      let right = 0
      for (let i = 0; i < y.length; i++) {
        if (y[i] !== c || srPred[i] !== c) continue
        right++
        if (p[i] !== c) moved[p[i]]++
      }
      const top = Math.max(...moved)
      if (right && top > right / 2 && !out.has(c)) out.set(c, moved.indexOf(top))
    }
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]))
}

