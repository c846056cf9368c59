import { promises as fs } from 'node:fs'
import { join } from 'node:path'
import { AppError, fsErrorToApp } from '../../core/errors'
import { type Decoded, DEFAULT_SEED, DEFAULT_TEST_FRACTION, type SplitOptions } from './decoded'
import { badData } from './errors'
import { decodeImage } from './image-decode'
import { applyMask, testMask } from './split'

export interface ImageOptions extends SplitOptions {
  /** Channels kept: gray (1), rgb (3), or auto: gray when every pixel of every image is gray (default). */
  color?: 'auto' | 'gray' | 'rgb'
}

const IMAGE_RE = /\.(png|jpe?g)$/i
const YIELD_EVERY = 32

interface Item {
  path: string
  label: number
}

/**
 * A folder of images per class -> a dataset of [h, w, 1 or 3] 8-bit samples. Layouts: `root/<class>/*`
 * (split by testFraction/seed), or `root/train/<class>/*` and `root/test/<class>/*`. Classes are the folder
 * names in sorted order; files are taken in sorted order; only .png/.jpg/.jpeg files count (dot files and
 * other files are ignored); alpha is dropped. Every image must have the size of the first.
 */
export async function readImageFolders(paths: string[], opts: ImageOptions): Promise<Decoded> {
  if (paths.length !== 1) throw new AppError('INVALID_INPUT', `image import takes 1 folder (holding one folder per class, or train/ and test/), got ${paths.length} paths`)
  const [root] = paths
  const top = await subdirs(root)
  const split = top.includes('train') && top.every((d) => d === 'train' || d === 'test')
  if (split && top.includes('test') && opts.testFraction !== undefined) throw new AppError('INVALID_INPUT', `${root} has train/ and test/ folders already; drop --test-fraction`)
  const trainRoot = split ? join(root, 'train') : root
  const testRoot = split && top.includes('test') ? join(root, 'test') : null
  const trainClasses = await subdirs(trainRoot)
  const testClasses = testRoot ? await subdirs(testRoot) : []
  const classNames = [...new Set([...trainClasses, ...testClasses])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (classNames.length === 0) throw badData(trainRoot, undefined, 'holds no class folders', 'put the images of each class in a folder named after the class (e.g. cat/1.png)')
  if (opts.classes !== undefined && opts.classes !== classNames.length) {
    throw badData(root, undefined, `holds ${classNames.length} class folders (${classNames.join(', ')}) but --classes is ${opts.classes}`, 'the folders define the classes: drop --classes or fix the folders')
  }
  const trainItems = await listImages(trainRoot, trainClasses, classNames)
  const testItems = testRoot ? await listImages(testRoot, testClasses, classNames) : []
  if (trainItems.length === 0) throw badData(trainRoot, undefined, 'holds no .png or .jpg images in its class folders', 'add images, or point at the folder that holds the class folders')
  const all = [...trainItems, ...testItems]
  const { x, channels, height, width, bytesRead } = await decodeAll(all, opts.color ?? 'auto')
  const size = height * width * channels
  const y = Int32Array.from(all, (it) => it.label)
  let splits
  if (testRoot) {
    const n = trainItems.length
    splits = { train: { x: x.subarray(0, n * size), y: y.subarray(0, n), n }, test: { x: x.subarray(n * size), y: y.subarray(n), n: all.length - n } }
  } else {
    splits = applyMask(x, y, size, testMask(all.length, opts.testFraction ?? DEFAULT_TEST_FRACTION, opts.seed ?? DEFAULT_SEED))
  }
  return { format: 'images', inputShape: [height, width, channels], classNames, ...splits, source: paths, bytesRead }
}

async function subdirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort()
  } catch (e) {
    throw fsErrorToApp(e, dir) ?? e
  }
}

async function listImages(dir: string, classes: string[], classNames: string[]): Promise<Item[]> {
  const items: Item[] = []
  for (const c of classes) {
    const names = (await fs.readdir(join(dir, c))).filter((n) => !n.startsWith('.') && IMAGE_RE.test(n)).sort()
    for (const n of names) items.push({ path: join(dir, c, n), label: classNames.indexOf(c) })
  }
  return items
}

/** Decodes every image to RGB (or gray) bytes in one buffer, checking that all share the first one's size. */
async function decodeAll(items: Item[], color: 'auto' | 'gray' | 'rgb') {
  let rgb: Uint8Array | null = null
  let width = 0
  let height = 0
  let first = ''
  let allGray = true
  let bytesRead = 0
  for (let i = 0; i < items.length; i++) {
    const { path } = items[i]
    let bytes: Uint8Array
    try {
      bytes = await fs.readFile(path)
    } catch (e) {
      throw fsErrorToApp(e, path) ?? e
    }
    bytesRead += bytes.byteLength
    const img = decodeImage(path, bytes)
    if (!rgb) {
      ;({ width, height } = img)
      first = path
      rgb = new Uint8Array(items.length * width * height * 3)
    } else if (img.width !== width || img.height !== height) {
      throw badData(path, undefined, `is ${img.width}x${img.height} pixels but the first image (${first}) is ${width}x${height}`, 'all images must have the same size: resize them or remove this one')
    }
    const px = width * height
    const base = i * px * 3
    const d = img.data
    for (let p = 0; p < px; p++) {
      const r = d[4 * p]
      const g = d[4 * p + 1]
      const b = d[4 * p + 2]
      rgb[base + 3 * p] = r
      rgb[base + 3 * p + 1] = g
      rgb[base + 3 * p + 2] = b
      if (r !== g || g !== b) allGray = false
    }
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r))
  }
  const buf = rgb as Uint8Array
  const gray = color === 'gray' || (color === 'auto' && allGray)
  if (!gray) return { x: buf, channels: 3, width, height, bytesRead }
  // ITU-R BT.601 luma in integer arithmetic: exact for pixels that are already gray.
  const out = new Uint8Array(buf.length / 3)
  for (let i = 0; i < out.length; i++) out[i] = Math.floor((299 * buf[3 * i] + 587 * buf[3 * i + 1] + 114 * buf[3 * i + 2] + 500) / 1000)
  return { x: out, channels: 1, width, height, bytesRead }
}
