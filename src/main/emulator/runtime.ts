/**
 * What a board's firmware needs of a model: load an artifact, run one quantised input. The emulator runs
 * the console's own int8 reference interpreter behind this (int8-runtime.ts), so a virtual board computes
 * exactly what a board running the same kernels computes.
 */
export interface LoadedModel {
  /** int8 values per input sample. */
  readonly inputSize: number
  readonly classes: number
  /** Activation memory the model needs, bytes (checked against the board's RAM budget). */
  readonly ramBytes: number
  /** Runs one quantised input; returns the int8 output scores (one per class). */
  run(input: Int8Array): Int8Array
  /** Quantises one float input (e.g. pixels / 255) as the model expects it. */
  quantize(x: Float32Array): Int8Array
  /** The real value of an int8 output score (for confidences). */
  dequantizeOutput(scores: Int8Array): Float32Array
}

export interface ModelRuntime {
  /** Decodes an artifact; throws an Error saying why it cannot run it. */
  load(artifact: Uint8Array): LoadedModel
}
