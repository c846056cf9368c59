/**
 * Structural checks of an int8 model: shapes, array sizes and every constant in the range the kernels
 * assume. Both the artifact decoder and the interpreter run them, so a model that passes cannot make a
 * kernel read out of bounds or overflow its int32 accumulator.
 */
import { inferShapes } from '../model/spec'
import { ArtifactError } from './errors'
import { INT32_MAX } from './fixedpoint'
import { int8ToSpec, isWeighted, type Int8Layer, type Int8Model, type QParams } from './model'

const MAX_DIM = 65535
/** The largest |q_in - zp_in| * |q_w|: 255 * 127. */
const MAX_PRODUCT = 255 * 127

/**
 * Checks `m` and returns the activation shapes: shapes[0] is the input shape, shapes[i + 1] the output
 * of layer i. Throws ArtifactError INVALID_MODEL naming the layer and the field.
 */
export function checkInt8Model(m: Int8Model): number[][] {
  const bad = (what: string): never => {
    throw new ArtifactError('INVALID_MODEL', what)
  }
  if (!Array.isArray(m.inputShape) || m.inputShape.length < 1 || m.inputShape.length > 4) bad(`inputShape must have 1 to 4 dimensions, got [${m.inputShape}]`)
  m.inputShape.forEach((d) => isDim(d) || bad(`inputShape [${m.inputShape}]: every dimension must be an integer in [1, ${MAX_DIM}]`))
  if (!isDim(m.classes)) bad(`classes must be an integer in [1, ${MAX_DIM}], got ${m.classes}`)
  checkQParams(m.input, 'input', bad)
  if (m.layers.length < 1 || m.layers.length > 255) bad(`a model needs 1 to 255 layers, got ${m.layers.length}`)

  let outputs: number[][] = []
  try {
    outputs = inferShapes(int8ToSpec(m)).outputs
  } catch (e) {
    bad(e instanceof Error ? e.message : String(e))
  }
  const shapes = [m.inputShape.slice(), ...outputs]
  m.layers.forEach((l, i) => checkLayer(l, shapes[i], `layer ${i} (${l.type})`, bad))
  return shapes
}

function checkLayer(l: Int8Layer, inShape: number[], where: string, bad: (w: string) => never): void {
  if ('kernel' in l) l.kernel.forEach((k) => isDim(k) || bad(`${where}: kernel [${l.kernel}] must be integers in [1, ${MAX_DIM}]`))
  if ('pool' in l) l.pool.forEach((k) => isDim(k) || bad(`${where}: pool [${l.pool}] must be integers in [1, ${MAX_DIM}]`))
  if ('strides' in l) l.strides.forEach((k) => isDim(k) || bad(`${where}: strides [${l.strides}] must be integers in [1, ${MAX_DIM}]`))
  if ('padding' in l && l.padding !== 'same' && l.padding !== 'valid') bad(`${where}: padding must be 'same' or 'valid'`)
  if (l.type === 'reshape') l.shape.forEach((d) => isDim(d) || bad(`${where}: shape [${l.shape}] must be integers in [1, ${MAX_DIM}]`))
  if (!isWeighted(l)) return

  let outC: number
  let fanIn: number
  if (l.type === 'dense') {
    if (l.inFeatures !== inShape[0]) bad(`${where}: inFeatures ${l.inFeatures} does not match its input [${inShape}]`)
    outC = l.units
    fanIn = l.inFeatures
  } else {
    if (l.inChannels !== inShape[2]) bad(`${where}: inChannels ${l.inChannels} does not match its input [${inShape}]`)
    const taps = l.kernel[0] * l.kernel[1]
    outC = l.type === 'conv2d' ? l.filters : l.inChannels * l.depthMultiplier
    fanIn = l.type === 'conv2d' ? taps * l.inChannels : taps
  }
  if (!isDim(outC)) bad(`${where}: ${outC} output channels is out of range`)
  if (!['linear', 'relu', 'relu6'].includes(l.activation)) bad(`${where}: unknown activation ${String(l.activation)}`)
  if (l.weights.length !== outC * fanIn) bad(`${where}: ${l.weights.length} weights, expected ${outC * fanIn}`)
  for (let i = 0; i < l.weights.length; i++) if (l.weights[i] === -128) bad(`${where}: weight ${i} is -128; symmetric int8 weights lie in [-127, 127]`)
  for (const [name, arr] of [['bias', l.bias], ['weightScales', l.weightScales], ['multiplier', l.output.multiplier], ['shift', l.output.shift]] as const) {
    if (arr.length !== outC) bad(`${where}: ${arr.length} ${name} values, expected ${outC}`)
  }
  const headroom = INT32_MAX - fanIn * MAX_PRODUCT
  if (headroom < 0) bad(`${where}: fan-in ${fanIn} is too large for an int32 accumulator`)
  for (let c = 0; c < outC; c++) {
    if (Math.abs(l.bias[c]) > headroom) bad(`${where}: bias[${c}] = ${l.bias[c]} could overflow the int32 accumulator (limit ${headroom})`)
    const s = l.weightScales[c]
    if (!(s > 0) || !Number.isFinite(s)) bad(`${where}: weightScales[${c}] must be a finite number > 0, got ${s}`)
    const q = l.output.multiplier[c]
    if (q !== 0 && (q < 2 ** 30 || q > INT32_MAX)) bad(`${where}: multiplier[${c}] = ${q} must be 0 or in [2^30, 2^31)`)
    const sh = l.output.shift[c]
    if (sh < -31 || sh > 30) bad(`${where}: shift[${c}] = ${sh} must be in [-31, 30]`)
  }
  checkQParams(l.output, `${where} output`, bad)
  const { actMin, actMax } = l.output
  if (!isInt8(actMin) || !isInt8(actMax) || actMin > actMax) bad(`${where}: activation clamp [${actMin}, ${actMax}] must be int8 with min <= max`)
}

function checkQParams(q: QParams, where: string, bad: (w: string) => never): void {
  if (!(q.scale > 0) || !Number.isFinite(q.scale)) bad(`${where}: scale must be a finite number > 0, got ${q.scale}`)
  if (!isInt8(q.zeroPoint)) bad(`${where}: zeroPoint must be an integer in [-128, 127], got ${q.zeroPoint}`)
}

const isDim = (d: number): boolean => Number.isInteger(d) && d >= 1 && d <= MAX_DIM
const isInt8 = (x: number): boolean => Number.isInteger(x) && x >= -128 && x <= 127
