import type { Covariate } from '../../shared/diredi/scenario'
import { type Rng } from '../../shared/random'

/**
 * A user's sensor as a covariate shift on one sample. Samples are HWC, values in [0, 1]. The transforms
 * compose in a fixed order: rotate (about the centre, bilinear, background 0), blur (Gaussian),
 * invert (1 - v), brightness (+b), noise (+N(0, s^2)); the result is clamped to [0, 1].
 */
export function applyCovariate(x: Float32Array, shape: number[], c: Covariate, rng: Rng): Float32Array {
  const [h, w, ch] = shape.length === 3 ? shape : [1, x.length, 1]
  let v = x
  if (c.rotate_deg) v = rotate(v, h, w, ch, c.rotate_deg)
  if (c.blur) v = gaussianBlur(v, h, w, ch, c.blur)
  if (v === x) v = new Float32Array(x)
  for (let i = 0; i < v.length; i++) {
    let t = v[i]
    if (c.invert) t = 1 - t
    if (c.brightness) t += c.brightness
    if (c.noise) t += c.noise * rng.normal()
    v[i] = t < 0 ? 0 : t > 1 ? 1 : t
  }
  return v
}

/** Which covariate fields need image-shaped samples (H, W, C). */
export const SPATIAL_FIELDS = ['rotate_deg', 'blur'] as const

function rotate(src: Float32Array, h: number, w: number, ch: number, deg: number): Float32Array {
  const out = new Float32Array(src.length)
  const a = (deg * Math.PI) / 180 // positive: counter-clockwise as seen (y grows downwards)
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const cy = (h - 1) / 2
  const cx = (w - 1) / 2
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = cos * (x - cx) - sin * (y - cy) + cx
      const sy = sin * (x - cx) + cos * (y - cy) + cy
      const x0 = Math.floor(sx)
      const y0 = Math.floor(sy)
      const fx = sx - x0
      const fy = sy - y0
      for (let k = 0; k < ch; k++) {
        const at = (yy: number, xx: number) => (yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : src[(yy * w + xx) * ch + k])
        out[(y * w + x) * ch + k] =
          at(y0, x0) * (1 - fx) * (1 - fy) + at(y0, x0 + 1) * fx * (1 - fy) + at(y0 + 1, x0) * (1 - fx) * fy + at(y0 + 1, x0 + 1) * fx * fy
      }
    }
  }
  return out
}

function gaussianBlur(src: Float32Array, h: number, w: number, ch: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma))
  const k = new Float32Array(2 * r + 1)
  let sum = 0
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma))
  for (let i = 0; i < k.length; i++) k[i] /= sum
  const tmp = new Float32Array(src.length)
  const out = new Float32Array(src.length)
  // Separable: horizontal then vertical, edges clamped.
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) {
        let s = 0
        for (let i = -r; i <= r; i++) s += k[i + r] * src[(y * w + Math.min(w - 1, Math.max(0, x + i))) * ch + c]
        tmp[(y * w + x) * ch + c] = s
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < ch; c++) {
        let s = 0
        for (let i = -r; i <= r; i++) s += k[i + r] * tmp[(Math.min(h - 1, Math.max(0, y + i)) * w + x) * ch + c]
        out[(y * w + x) * ch + c] = s
      }
  return out
}
