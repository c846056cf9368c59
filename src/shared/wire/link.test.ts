import { describe, expect, it } from 'vitest'
import { ManualClock } from './clock'
import { Frame } from './frame'
import { type LinkError, ReliableLink, type LinkOptions } from './link'
import { MESSAGES } from './messages'
import { mulberry32 as rng } from '../random'

interface LineFaults {
  /** Probability a whole write (one frame) vanishes. */
  drop?: number
  /** Probability per bit of a flip. */
  ber?: number
}

/** Two links joined by a line with latency, a byte rate and seeded faults, all on a manual clock. */
function pair(faults: LineFaults = {}, opts: Partial<LinkOptions> = {}, seed = 1) {
  const clock = new ManualClock()
  const rnd = rng(seed)
  const bytesPerMs = 92 // ~921600 baud
  const busyUntil = { a: 0, b: 0 }
  const got = { a: [] as Frame[], b: [] as Frame[] }
  let cut = false
  const wire = (from: 'a' | 'b', to: () => ReliableLink) => (line: Uint8Array) => {
    if (cut) return
    const start = Math.max(clock.now(), busyUntil[from])
    busyUntil[from] = start + line.length / bytesPerMs
    if (faults.drop && rnd() < faults.drop) return
    const bytes = line.slice()
    if (faults.ber) for (let i = 0; i < bytes.length * 8; i++) if (rnd() < faults.ber) bytes[i >> 3] ^= 1 << (i & 7)
    clock.setTimer(() => to().feed(bytes), busyUntil[from] - clock.now() + 2)
  }
  const a: ReliableLink = new ReliableLink(clock, wire('a', () => b), opts)
  const b: ReliableLink = new ReliableLink(clock, wire('b', () => a), opts)
  a.onDeliver = (f) => got.a.push(f)
  b.onDeliver = (f) => got.b.push(f)
  a.reset(7)
  b.reset(7)
  return { clock, a, b, got, cut: () => (cut = true) }
}

const msg = (i: number) => Uint8Array.from({ length: 200 }, (_, k) => (i + k) & 0xff)
const idOf = (f: Frame) => f.payload[0] | (f.payload[1] << 8)
const numbered = (i: number) => {
  const p = msg(i)
  p[0] = i & 0xff
  p[1] = i >> 8
  return p
}

async function transfer(p: ReturnType<typeof pair>, n: number, maxMs = 600_000) {
  const done: number[] = []
  const failed: unknown[] = []
  for (let i = 0; i < n; i++) p.a.send(0x14, numbered(i)).then(() => done.push(i), (e: unknown) => failed.push(e))
  let t = 0
  while (done.length + failed.length < n && t < maxMs) {
    p.clock.advance(5)
    t += 5
    await Promise.resolve()
  }
  await new Promise((r) => setImmediate(r))
  return { done, failed, ms: t }
}

describe('ReliableLink', () => {
  it('delivers in order exactly once over a clean line, with few standalone acks', async () => {
    const p = pair()
    const r = await transfer(p, 300)
    expect(r.failed).toEqual([])
    expect(p.got.b.map(idOf)).toEqual(Array.from({ length: 300 }, (_, i) => i))
    expect(p.a.counters.retransmits).toBe(0)
    expect(p.b.counters.duplicates).toBe(0)
    expect(p.a.counters.srttMs).toBeGreaterThan(0)
    expect(p.a.backlog).toBe(0)
  })

  it('recovers every frame through 5% dropped frames and bit errors at 1e-4, counting what it did', async () => {
    const p = pair({ drop: 0.05, ber: 1e-4 }, {}, 42)
    const r = await transfer(p, 400)
    expect(r.failed).toEqual([])
    expect(p.got.b.map(idOf)).toEqual(Array.from({ length: 400 }, (_, i) => i))
    const c = p.a.counters
    expect(c.retransmits).toBeGreaterThan(0)
    expect(c.fastRetransmits + c.timeouts).toBeGreaterThan(0)
    expect(p.b.counters.crcErrors + p.b.counters.framingErrors).toBeGreaterThan(0)
    expect(c.retransmits).toBeLessThan(400)
  })

  it('suppresses duplicates when acknowledgements are lost', async () => {
    const p = pair({ drop: 0.3 }, {}, 3)
    const r = await transfer(p, 100)
    expect(r.failed).toEqual([])
    expect(p.got.b.map(idOf)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(p.b.counters.duplicates).toBeGreaterThan(0)
  })

  it('adapts its timeout to the measured round trip (Jacobson/Karels)', async () => {
    const p = pair({}, { initialRtoMs: 3000 })
    await transfer(p, 50)
    expect(p.a.counters.rtoMs).toBeLessThan(3000)
    expect(p.a.counters.rtoMs).toBeGreaterThanOrEqual(60)
  })

  it('declares the link dead after maxTries and rejects what was in flight', async () => {
    const p = pair({}, { maxTries: 4, initialRtoMs: 100 })
    let dead = ''
    p.a.onDead = (why) => (dead = why)
    p.cut()
    const r = await transfer(p, 3, 60_000)
    expect(dead).toMatch(/unacknowledged after 4 tries/)
    expect(r.failed.length).toBe(3)
    expect((r.failed[0] as LinkError).code).toBe('DEAD')
    expect(p.a.counters.timeouts).toBeGreaterThanOrEqual(4)
    expect(p.clock.pending).toBe(0)
  })

  it('rejects pending sends on reset, and refuses to send outside a session', async () => {
    const p = pair()
    p.cut()
    const sent = p.a.send(0x14, msg(1))
    p.a.reset(8)
    await expect(sent).rejects.toMatchObject({ code: 'RESET' })
    p.a.reset(0)
    await expect(p.a.send(0x14, msg(1))).rejects.toMatchObject({ code: 'RESET' })
    p.a.close()
    await expect(p.a.send(0x14, msg(1))).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('drops reliable frames of another epoch and reports them as stale', () => {
    const p = pair()
    const stale: Frame[] = []
    p.b.onStale = (f) => stale.push(f)
    const old = new Frame({ version: 1, type: 0x14, reliable: true, hasAck: true, channel: 'data', epoch: 6, seq: 0, ack: 0, sack: 0, payload: msg(0) })
    p.b.feed(old.toLine())
    expect(p.got.b).toEqual([])
    expect(stale.length).toBe(1)
    expect(p.b.counters.stale).toBe(1)
  })

  it('passes best-effort frames straight through, and drops other versions except HELLO', () => {
    const p = pair()
    const f = (version: number, type: number) =>
      new Frame({ version, type, reliable: false, hasAck: false, channel: 'log', epoch: 0, seq: 0, ack: 0, sack: 0, payload: new Uint8Array(0) })
    p.b.feed(f(1, MESSAGES.LOG.type).toLine())
    p.b.feed(f(2, MESSAGES.LOG.type).toLine())
    p.b.feed(f(2, MESSAGES.HELLO.type).toLine())
    expect(p.got.b.map((x) => [x.version, x.type])).toEqual([
      [1, MESSAGES.LOG.type],
      [2, MESSAGES.HELLO.type]
    ])
  })

  it('keeps its window: no more than `window` frames are unacknowledged', async () => {
    const p = pair({}, { window: 4 })
    let maxOut = 0
    const orig = p.b.feed.bind(p.b)
    p.b.feed = (bytes) => {
      maxOut = Math.max(maxOut, p.a.backlog === 0 ? 0 : Math.min(p.a.backlog, 4))
      orig(bytes)
    }
    for (let i = 0; i < 10; i++) void p.a.send(0x14, msg(i)).catch(() => undefined)
    expect(p.a.counters.framesOut).toBe(4)
    await transfer(p, 0)
    p.clock.advance(1000)
    expect(p.got.b.length).toBe(10)
    expect(maxOut).toBeLessThanOrEqual(4)
  })

  it('refuses a window outside 1..32', () => {
    const c = new ManualClock()
    expect(() => new ReliableLink(c, () => undefined, { window: 0 })).toThrow(RangeError)
    expect(() => new ReliableLink(c, () => undefined, { window: 33 })).toThrow(RangeError)
  })
})
