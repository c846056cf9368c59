import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { io } from '@tensorflow/tfjs-core'
import type { LayersModel } from '@tensorflow/tfjs-layers'

/**
 * Writes a tfjs LayersModel as `model.json` + `weights.bin` in `dir` (what `model.save('file://dir')`
 * writes with tfjs-node), for tests and examples without tfjs-node. Returns the model.json path.
 */
export async function saveLayersFiles(model: LayersModel, dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true })
  await model.save(
    io.withSaveHandler(async (a) => {
      const data = a.weightData instanceof ArrayBuffer ? a.weightData : io.concatenateArrayBuffers(a.weightData as ArrayBuffer[])
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(data))
      const json = { modelTopology: a.modelTopology, format: 'layers-model', generatedBy: 'diredi test', convertedBy: null, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
    })
  )
  return join(dir, 'model.json')
}
