import { InvalidArgumentError } from 'commander'

/** A commander parser for an integer option within [min, max]. */
export function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} takes a whole number from ${min} to ${max}, got "${v}"`)
    return n
  }
}

/** A commander parser for a number option within [min, max]. */
export function numOption(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v)
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} takes a number from ${min} to ${max}, got "${v}"`)
    return n
  }
}
