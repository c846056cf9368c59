import type { KnowledgeTensor } from '../../shared/wire/knowledge'

/** L2 norm of all values of all tensors together. */
export function l2(tensors: KnowledgeTensor[]): number {
  let s = 0
  for (const t of tensors) for (const x of t.values) s += x * x
  return Math.sqrt(s)
}

/**
 * The optional privacy step of docs/method.md §3, applied on the board before signing: scale the whole
 * delta so that ||delta|| <= clip, then add Gaussian noise of std sigma * clip to every value. clip 0
 * disables both (noise without a bound on the norm has no meaning). Returns new tensors.
 */
export function clipAndNoise(tensors: KnowledgeTensor[], clip: number, sigma: number, rand: () => number): KnowledgeTensor[] {
  if (!(clip > 0)) return tensors
  const norm = l2(tensors)
  const scale = norm > clip ? clip / norm : 1
  const std = sigma > 0 ? sigma * clip : 0
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  return tensors.map((t) => ({ name: t.name, shape: t.shape.slice(), values: t.values.map((x) => x * scale + (std ? std * gauss() : 0)) }))
}
