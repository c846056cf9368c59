/**
 * A child process for the kill test (registry.kill.test.ts): opens the registry of argv[2] and puts a
 * large float32 dataset (argv[3] MB of samples). With argv[4] = k >= 1 it stops before writing its
 * k-th chunk (or, with k = "sync-last", inside the fsync of the last file, just before the rename),
 * prints "PAUSED" and waits to be killed; with "run" it writes straight through, printing "STARTED"
 * first and "DONE <id>" at the end.
 */
import { nodeIo, type StoreIo } from '../io'
import { openRegistry } from '../registry'
import { synthDataset } from './fixtures'

const [dataDir, mbArg, pauseArg] = process.argv.slice(2)
const hang = () => new Promise<never>(() => setInterval(() => undefined, 1 << 30))
const say = (s: string) => process.stdout.write(s + '\n')

let chunks = 0
let files = 0
const FILES_PER_DATASET = 5
const io: StoreIo = {
  async create(path) {
    const sink = await nodeIo.create(path)
    const last = ++files === FILES_PER_DATASET
    return {
      async write(chunk) {
        if (String(++chunks) === pauseArg) {
          say('PAUSED')
          await hang()
        }
        await sink.write(chunk)
      },
      async sync() {
        await sink.sync()
        if (last && pauseArg === 'sync-last') {
          say('PAUSED')
          await hang()
        }
      },
      close: () => sink.close()
    }
  }
}

const reg = await openRegistry(dataDir, { io, builtins: {} })
// float32 samples of 256 values: mb MB of x in the train split.
const n = Math.round((Number(mbArg) * 1024 * 1024) / (256 * 4))
const input = synthDataset('big', { n, m: 64, shape: [256], classes: 10, eightBit: false })
say('STARTED')
const record = await reg.datasets.put(input)
say(`DONE ${record.id}`)
