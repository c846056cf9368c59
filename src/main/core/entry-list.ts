/**
 * Every separately started Node entry point: the build emits each as out/main/<name>.js, and
 * `entryPoint(name)` (entries.ts) starts it from there, or from source under tsx in tests and dev.
 * Add a line here for a new worker or child process; nothing else needs to know about the build.
 */
export const ENTRIES = {
  cli: 'src/main/cli/main.ts',
  'emulator-board': 'src/main/emulator/child.ts',
  electron: 'src/main/hosts/electron/main.ts',
  'quantize-worker': 'src/main/ml/quantize/quantize-worker.ts',
  'ml-worker': 'src/main/ml/worker/main.ts'
} as const satisfies Record<string, string>

export type EntryName = keyof typeof ENTRIES
