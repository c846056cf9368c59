/**
 * Worker thread entry: quantises one model, encodes the artifact, and evaluates the decoded artifact
 * against the float model, off the console's event loop. One request per worker (workerData), one reply.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ArtifactError } from '../../../shared/int8/errors'
import { decodeArtifact, encodeArtifact } from '../../../shared/int8/format'
import { evaluateInt8 } from './evaluate'
import { quantizeModel } from './quantize'
import type { QuantizeRequest, QuantizeResponse } from './worker-protocol'

function handle(req: QuantizeRequest): QuantizeResponse {
  const t0 = performance.now()
  try {
    const artifact = encodeArtifact(quantizeModel(req.model, req.calibration, req.options))
    // Evaluate what a board will run: the decoded bytes, not the in-memory model.
    const evaluation = evaluateInt8(decodeArtifact(artifact), req.model, req.testX, req.testY)
    return { ok: true, artifact, evaluation, seconds: (performance.now() - t0) / 1000 }
  } catch (e) {
    return { ok: false, artifactCode: e instanceof ArtifactError ? e.code : undefined, message: e instanceof Error ? e.message : String(e) }
  }
}

const reply = handle(workerData as QuantizeRequest)
parentPort?.postMessage(reply, reply.ok ? [reply.artifact.buffer as ArrayBuffer] : [])
