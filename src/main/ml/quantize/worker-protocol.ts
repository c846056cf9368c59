/** Messages between the console and the quantisation worker (quantize-worker.ts). */
import type { SpecModel } from '../../../shared/model/spec'
import type { CalibrationOptions } from './calibrate'
import type { Int8Evaluation } from './evaluate'

export interface QuantizeRequest {
  model: SpecModel
  /** n * prod(inputShape) calibration inputs. */
  calibration: Float32Array
  /** The evaluation split. */
  testX: Float32Array
  testY: Int32Array
  options: CalibrationOptions
}

export type QuantizeResponse =
  | { ok: true; artifact: Uint8Array; evaluation: Int8Evaluation; seconds: number }
  | { ok: false; artifactCode?: string; message: string }
