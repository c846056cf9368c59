import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeFileAtomic } from '../core/atomic'

/**
 * The console's knowledge-signing keys, one per board id, provisioned at pairing (PAIR) and kept in
 * `<dataDir>/boards/keys.json` (mode 0600). A board signs its knowledge with its key (HMAC-SHA256); the
 * console checks the signature with the same key. Whoever holds this file can forge a board's knowledge:
 * keep the data directory private.
 */
export class KeyStore {
  readonly file: string
  private cache: Record<string, string> | null = null

  constructor(dataDir: string) {
    this.file = join(dataDir, 'boards', 'keys.json')
  }

  private async all(): Promise<Record<string, string>> {
    if (this.cache) return this.cache
    try {
      this.cache = JSON.parse(await fs.readFile(this.file, 'utf8')) as Record<string, string>
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      this.cache = {}
    }
    return this.cache
  }

  async get(boardId: string): Promise<Uint8Array | null> {
    const k = (await this.all())[boardId]
    return k ? new Uint8Array(Buffer.from(k, 'hex')) : null
  }

  /** A fresh random key (32 bytes), not yet stored. */
  fresh(): Uint8Array {
    return new Uint8Array(randomBytes(32))
  }

  async put(boardId: string, key: Uint8Array): Promise<void> {
    const all = { ...(await this.all()), [boardId]: Buffer.from(key).toString('hex') }
    await fs.mkdir(dirname(this.file), { recursive: true, mode: 0o700 })
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2) + '\n')
    await fs.chmod(this.file, 0o600)
    this.cache = all
  }
}
