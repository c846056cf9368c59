import { run } from './program'

/** Entry of the `diredi` command (bin/diredi.js starts this, built or from source). */
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    console.error('diredi: unexpected failure:', e)
    process.exitCode = 1
  }
)
