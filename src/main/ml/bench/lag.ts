/**
 * Measures the main thread's event-loop lag: a timer asks to fire every `intervalMs`; the lag of a
 * tick is how late it fired. `stop()` returns the max and the 99th percentile (ms) and clears the timer.
 */
export function lagMeter(intervalMs = 10): { stop(): { ticks: number; maxMs: number; p99Ms: number } } {
  const lags: number[] = []
  let expected = performance.now() + intervalMs
  const timer = setInterval(() => {
    const now = performance.now()
    lags.push(Math.max(0, now - expected))
    expected = now + intervalMs
  }, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      const s = lags.slice().sort((a, b) => a - b)
      const p99 = s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] : 0
      return { ticks: s.length, maxMs: +(s[s.length - 1] ?? 0).toFixed(2), p99Ms: +p99.toFixed(2) }
    }
  }
}
