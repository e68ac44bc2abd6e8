/**
 * Peak memory of one Chromium session's processes, sampled from /proc (Linux only).
 *
 * Uses PSS (proportional set size), which splits shared pages among the processes sharing them;
 * summing RSS would count Chromium's shared memory once per process.
 */
import { readFile, readdir } from 'node:fs/promises'

interface Proc {
  readonly pid: number
  readonly ppid: number
  readonly pss: number
  readonly cmdline: string
}

async function processes(): Promise<Proc[]> {
  const out: Proc[] = []
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const status = await readFile(`/proc/${entry}/status`, 'utf8')
      if (!/^Name:\s+chrom/m.test(status)) continue
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ')
      const rollup = await readFile(`/proc/${entry}/smaps_rollup`, 'utf8').catch(() => '')
      out.push({
        pid: Number(entry),
        ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0),
        pss: Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024,
        cmdline,
      })
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out
}

/** Summed PSS of the browser whose command line holds `marker`, and of all its descendants. */
async function sessionRss(marker: string): Promise<number> {
  const all = await processes()
  const root = all.find((p) => p.cmdline.includes(marker) && !p.cmdline.includes('--type='))
  if (!root) return 0
  const tree = new Set([root.pid])
  for (let grew = true; grew;) {
    grew = false
    for (const p of all) {
      if (!tree.has(p.pid) && tree.has(p.ppid)) {
        tree.add(p.pid)
        grew = true
      }
    }
  }
  return all.filter((p) => tree.has(p.pid)).reduce((sum, p) => sum + p.pss, 0)
}

/** Samples a session's memory until stopped; resolves to the peak in bytes. */
export function sampleSessionPeak(
  marker: string,
  intervalMs = 200,
): { stop: () => Promise<number> } {
  let peak = 0
  let running = true
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await sessionRss(marker))
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return peak
    },
  }
}
