import { basename } from 'node:path'
import { AppError } from '../../core/errors'
import { type Decoded, DEFAULT_SEED, DEFAULT_TEST_FRACTION, integerClassNames, type SplitOptions } from './decoded'
import { badData } from './errors'
import { IDX_TYPES, type IdxArray, readIdx } from './idx'
import { applyMask, testMask } from './split'

const MAX_CLASSES = 65536

interface Pair {
  images: IdxArray
  labels: IdxArray
}

/**
 * IDX files -> a dataset. Two files: one images file and one labels file (told apart by their
 * dimensions), split by `testFraction` with `seed`. Four files: a train and a test pair, told apart by
 * "train" and "test"/"t10k" in their file names. Images of ubyte stay 8-bit (x = value / 255); other
 * types become float32 as they are. Sample shape: (n, h, w) -> [h, w, 1], (n, h, w, c) -> [h, w, c],
 * (n, d) -> [d].
 */
export async function readIdxDataset(paths: string[], opts: SplitOptions): Promise<Decoded> {
  if (paths.length !== 2 && paths.length !== 4) {
    throw new AppError('INVALID_INPUT', `IDX import takes 2 files (images and labels) or 4 (train and test pairs), got ${paths.length}`)
  }
  const arrays: IdxArray[] = []
  for (const p of paths) arrays.push(await readIdx(p))
  const bytesRead = arrays.reduce((a, b) => a + b.bytes, 0)
  if (paths.length === 4 && opts.testFraction !== undefined) {
    throw new AppError('INVALID_INPUT', 'the 4 IDX files already hold a test split; drop --test-fraction')
  }
  const pairs = paths.length === 2 ? { all: pairUp(arrays, 'the 2 files') } : splitPairs(arrays)
  const checked = Object.values(pairs).map(checkPair)
  const [first] = checked
  for (const c of checked) {
    if (c.shape.join('x') !== first.shape.join('x') || c.eightBit !== first.eightBit) {
      throw badData(c.pair.images.path, undefined, `samples are [${c.shape}] ${IDX_TYPES[c.pair.images.type].name}, but ${first.pair.images.path} holds [${first.shape}] ${IDX_TYPES[first.pair.images.type].name}`, 'train and test images must have the same size and type')
    }
  }
  const maxLabel = Math.max(...checked.map((c) => c.maxLabel))
  const classes = opts.classes ?? maxLabel + 1
  for (const c of checked) checkLabels(c.pair.labels, c.y, classes, opts.classes !== undefined)
  const size = first.shape.reduce((a, b) => a * b, 1)
  let train
  let test
  if ('all' in pairs) {
    const split = applyMask(checked[0].x, checked[0].y, size, testMask(checked[0].y.length, opts.testFraction ?? DEFAULT_TEST_FRACTION, opts.seed ?? DEFAULT_SEED))
    train = split.train
    test = split.test
  } else {
    train = { x: checked[0].x, y: checked[0].y, n: checked[0].y.length }
    test = { x: checked[1].x, y: checked[1].y, n: checked[1].y.length }
  }
  if (train.n === 0) throw badData(checked[0].pair.images.path, undefined, 'holds no samples for the train split', 'give a file with samples')
  return { format: 'idx', inputShape: first.shape, classNames: integerClassNames(classes), train, test, source: paths, bytesRead }
}

/** One images file and one labels file out of two. */
function pairUp(two: IdxArray[], what: string): Pair {
  const labels = two.filter((a) => a.dims.length === 1)
  const images = two.filter((a) => a.dims.length > 1)
  if (labels.length !== 1 || images.length !== 1) {
    const kinds = two.map((a) => `${basename(a.path)}: ${a.dims.length === 1 ? 'labels' : 'images'} [${a.dims}]`).join(', ')
    throw new AppError('INVALID_INPUT', `${what} must be one images file (2 or more dimensions) and one labels file (1 dimension); got ${kinds}`)
  }
  return { images: images[0], labels: labels[0] }
}

function splitPairs(four: IdxArray[]): { train: Pair; test: Pair } {
  const isTest = (a: IdxArray) => /t10k|test/i.test(basename(a.path))
  const isTrain = (a: IdxArray) => /train/i.test(basename(a.path))
  const test = four.filter((a) => isTest(a) && !isTrain(a))
  const train = four.filter((a) => isTrain(a) && !isTest(a))
  if (test.length !== 2 || train.length !== 2) {
    throw new AppError('INVALID_INPUT', `cannot tell the train pair from the test pair of ${four.map((a) => basename(a.path)).join(', ')}: two file names must contain "train" and two "test" or "t10k"; rename them`)
  }
  return { train: pairUp(train, 'the train files'), test: pairUp(test, 'the test files') }
}

/** Counts, sample shape, image values and integer labels of one pair. */
function checkPair(pair: Pair) {
  const { images, labels } = pair
  if (images.dims[0] !== labels.dims[0]) {
    throw badData(images.path, undefined, `holds ${images.dims[0]} images but ${labels.path} holds ${labels.dims[0]} labels`, 'each image needs exactly one label: give matching files')
  }
  const ltype = IDX_TYPES[labels.type].name
  if (labels.type === 0x0d || labels.type === 0x0e) throw badData(labels.path, 'byte 2', `labels are of type ${ltype}; class labels must be integers (ubyte, sbyte, short or int)`, 'write the labels as integers')
  const inner = images.dims.slice(1)
  const shape = inner.length === 2 ? [inner[0], inner[1], 1] : inner
  const eightBit = images.type === 0x08
  const x = eightBit ? (images.data as Uint8Array) : Float32Array.from(images.data as ArrayLike<number>)
  if (!eightBit) {
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw badData(images.path, `value ${i}, byte ${images.headerBytes + i * IDX_TYPES[images.type].bytes}`, `${x[i]} is not a finite number`, 'clean the data first')
    }
  }
  const y = Int32Array.from(labels.data as ArrayLike<number>)
  let maxLabel = -1
  for (let i = 0; i < y.length; i++) maxLabel = Math.max(maxLabel, y[i])
  return { pair, shape, eightBit, x, y, maxLabel }
}

/** Every label in 0..classes-1; names the first offender with its index and byte offset. */
function checkLabels(labels: IdxArray, y: Int32Array, classes: number, given: boolean): void {
  const per = IDX_TYPES[labels.type].bytes
  for (let i = 0; i < y.length; i++) {
    if (y[i] >= 0 && y[i] < classes && y[i] < MAX_CLASSES) continue
    const at = `label ${i}, byte ${labels.headerBytes + i * per}`
    if (y[i] < 0) throw badData(labels.path, at, `label ${y[i]} is negative`, 'class labels run from 0')
    if (!given) throw badData(labels.path, at, `label ${y[i]} would make ${y[i] + 1} classes, more than ${MAX_CLASSES}`, 'is this a labels file?')
    throw badData(labels.path, at, `label ${y[i]} is outside 0..${classes - 1} (--classes ${classes})`, 'fix the labels or raise --classes')
  }
}
