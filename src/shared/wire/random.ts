/**
 * mulberry32: a small seeded PRNG, uniform in [0, 1). Used where reproducibility matters more than
 * quality: golden inputs (the same artifact gets the same vectors) and injected faults (a campaign can be
 * replayed from its seed). Never for keys or nonces.
 */
export { mulberry32 as rng } from '../random'
