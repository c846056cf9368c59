import { AppError } from '../../core/errors'

/** Keras/tfjs layer classes the importer understands (what each becomes is in import.ts). */
export const SUPPORTED_LAYERS = [
  'InputLayer',
  'Dense',
  'Conv2D',
  'DepthwiseConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Reshape',
  'Activation',
  'ReLU',
  'Softmax',
  'BatchNormalization',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout'
] as const

interface RawLayer {
  class_name?: string
  config?: { name?: string }
}

/** The layer list of a model.json topology, whatever Keras/tfjs wrapping it comes in. */
function rawLayers(topology: unknown): RawLayer[] | null {
  let t = topology as { model_config?: unknown; class_name?: string; config?: unknown } | null
  if (t && typeof t === 'object' && 'model_config' in t) t = t.model_config as typeof t
  if (!t || typeof t !== 'object') return null
  const cfg = t.config as { layers?: unknown } | unknown[] | undefined
  if (Array.isArray(cfg)) return cfg as RawLayer[]
  if (cfg && typeof cfg === 'object' && Array.isArray((cfg as { layers?: unknown }).layers)) return (cfg as { layers: RawLayer[] }).layers
  return null
}

/**
 * Refuses, before tfjs tries to build anything, a topology holding a layer the engine cannot
 * represent, naming the layer and its class. `file` names the model.json in messages.
 */
export function checkTopology(topology: unknown, file: string): void {
  const list = rawLayers(topology)
  if (!list) throw new AppError('MODEL_INVALID', `${file}: modelTopology holds no layer list; is this a tfjs layers model (not a graph model)? Convert it with tensorflowjs_converter --output_format=tfjs_layers_model`)
  list.forEach((l, i) => {
    const cls = String(l.class_name ?? '?')
    if (!(SUPPORTED_LAYERS as readonly string[]).includes(cls)) {
      throw new AppError(
        'MODEL_INVALID',
        `${file}: layer ${i} "${l.config?.name ?? '?'}" is a ${cls}, which the console cannot import. Supported: ${SUPPORTED_LAYERS.filter((c) => c !== 'InputLayer').join(', ')}. Rebuild the model with these layers and export it again.`,
        { layer: l.config?.name, className: cls, index: i }
      )
    }
  })
}
