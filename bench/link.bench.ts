import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { encodeArtifact } from '../src/shared/int8'
import { randomInt8Model } from '../src/shared/int8/testing'
import type { ModelSpec } from '../src/shared/model/spec'
import { Frame } from '../src/shared/wire/frame'
import { FrameParser } from '../src/shared/wire/parser'
import { flashArtifact } from '../src/main/boards/flash'
import { goldenSet } from '../src/main/boards/golden'
import { BoardSession } from '../src/main/boards/session'
import { startEmulation } from '../src/main/emulator/emulate'
import { InProcessBoards } from '../src/main/emulator/inprocess'
import { int8Runtime } from '../src/main/emulator/int8-runtime'
import { SerialOpener } from '../src/main/transport/serial'
import type { Report } from './run'

const BAUD = 921600
const dense = (units: number): ModelSpec => ({ inputShape: [784], classes: 10, layers: [{ type: 'dense', units, activation: 'relu' }, { type: 'dense', units: 10, activation: 'linear' }] })
const artifact = (units: number, seed: number) => {
  const bytes = encodeArtifact(randomInt8Model(dense(units), seed))
  return { bytes, golden: goldenSet(bytes, 8) }
}

/**
 * The board link: codec throughput; flash goodput as a fraction of the emulated line rate at 921600 baud
 * (in-process and over a real socat pseudo-terminal); and 64 in-process boards flashed at once, with the
 * event-loop lag of the console process meanwhile.
 */
export async function run(report: Report): Promise<void> {
  // Codec: encode + parse 1 KiB frames.
  {
    const payload = Uint8Array.from({ length: 1024 }, (_, i) => (i * 13) & 0xff)
    let n = 0
    const p = new FrameParser(() => n++)
    const t0 = performance.now()
    const frames = 20_000
    for (let i = 0; i < frames; i++) p.push(new Frame({ version: 1, type: 0x14, reliable: true, hasAck: true, channel: 'data', epoch: 1, seq: i & 0xffff, ack: 0, sack: 0, payload }).toLine())
    const s = (performance.now() - t0) / 1000
    report({ bench: 'link.codec', frames, payloadBytes: 1024, framesPerSecond: Math.round(frames / s), mbPerSecond: +((frames * 1024) / s / 1e6).toFixed(1), ok: n === frames })
  }

  // One board in-process, paced at 921600 baud: a cold session (its RTT estimate starts from nothing), then warm.
  {
    const fleet = new InProcessBoards(int8Runtime)
    const b = fleet.add({ config: { pace: true, baud: BAUD } })
    const s = new BoardSession(b.path, { opener: fleet.opener, baudRate: BAUD })
    try {
      await s.open()
      const runs = [artifact(128, 1), artifact(128, 2), artifact(128, 3)]
      const res = []
      for (const a of runs) res.push(await flashArtifact(s, a.bytes, { golden: a.golden }))
      report({
        bench: 'link.flash_goodput_inprocess', baud: BAUD, artifactBytes: runs[0].bytes.length,
        lineFractionCold: res[0].lineFraction, lineFractionWarm: +((res[1].lineFraction + res[2].lineFraction) / 2).toFixed(4),
        transferMs: res.map((r) => r.transferMs), totalMs: res.map((r) => r.totalMs), retransmits: s.counters.retransmits
      })
    } finally {
      await s.dispose()
      await fleet.dispose()
    }
  }

  // One board over a real pseudo-terminal (socat, native serialport binding), the board in its own process.
  {
    const emu = await startEmulation({ boards: 1, baud: BAUD })
    const s = new BoardSession(emu.boards[0].port, { opener: new SerialOpener(), baudRate: BAUD })
    try {
      await s.open()
      const runs = [artifact(128, 4), artifact(128, 5), artifact(128, 6)]
      const res = []
      for (const a of runs) res.push(await flashArtifact(s, a.bytes, { golden: a.golden }))
      report({
        bench: 'link.flash_goodput_pty', baud: BAUD, artifactBytes: runs[0].bytes.length,
        lineFractionCold: res[0].lineFraction, lineFractionWarm: +((res[1].lineFraction + res[2].lineFraction) / 2).toFixed(4),
        transferMs: res.map((r) => r.transferMs), totalMs: res.map((r) => r.totalMs), retransmits: s.counters.retransmits
      })
    } finally {
      await s.dispose()
      await emu.stop()
    }
  }

  // 64 boards in-process, each on its own 921600-baud line, flashed at once.
  {
    const n = 64
    const a = artifact(64, 7)
    const fleet = new InProcessBoards(int8Runtime)
    const sessions = Array.from({ length: n }, () => {
      const b = fleet.add({ config: { pace: true, baud: BAUD } })
      return new BoardSession(b.path, { opener: fleet.opener, baudRate: BAUD })
    })
    try {
      await Promise.all(sessions.map((s) => s.open()))
      const lag = monitorEventLoopDelay({ resolution: 10 })
      lag.enable()
      const t0 = performance.now()
      const res = await Promise.all(sessions.map((s) => flashArtifact(s, a.bytes, { golden: a.golden })))
      const wallMs = performance.now() - t0
      lag.disable()
      const fr = res.map((r) => r.lineFraction).sort((x, y) => x - y)
      report({
        bench: 'link.flash_64_inprocess', boards: n, baud: BAUD, artifactBytes: a.bytes.length, wallMs: Math.round(wallMs),
        idealTransferMs: Math.round((a.bytes.length / (BAUD / 10)) * 1000),
        lineFractionMean: +(fr.reduce((x, y) => x + y, 0) / n).toFixed(4), lineFractionMin: fr[0],
        confirmed: res.filter((r) => !r.alreadyRunning).length,
        eventLoopLagMs: { p50: +(lag.percentile(50) / 1e6).toFixed(1), p99: +(lag.percentile(99) / 1e6).toFixed(1), max: +(lag.max / 1e6).toFixed(1) },
        retransmits: sessions.reduce((x, s) => x + s.counters.retransmits, 0)
      })
    } finally {
      for (const s of sessions) await s.dispose()
      await fleet.dispose()
    }
  }
}
