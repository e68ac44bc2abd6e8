import { describe, expect, it, vi } from 'vitest'
import { ChecksQueue } from '../../../renderer/app/checksQueue'
import { EMPTY_FILTER } from '../../../renderer/data/filter'
import type { LoadedDataset } from '../../../renderer/data/dataset'
import type { ProfileState } from '../../../renderer/data/profile/session'
import type { QaSummary } from '../../../renderer/data/qa'
import { newRelations } from '../../../renderer/data/relations'
import type { Profile } from '../../../shared/profile'
import { type Deferred, FakeState, deferred, fakeDataset, settle } from './fakes'

/** A profile told apart by its reward field. */
function profileState(reward: string): ProfileState {
  const profile: Profile = {
    family: 'generic',
    unnest: null,
    prompt: null,
    language: null,
    fixedLanguage: null,
    codeA: null,
    codeB: null,
    scores: [],
    reward: [reward],
    group: null,
    tests: null,
    model: null,
    breakdown: null,
  }
  return {
    profile,
    detected: profile,
    origin: 'detected',
    relations: newRelations('t'),
    notice: null,
  }
}

/** What the checks found for a run, recognisable by its time. */
const summary = (ms: number): QaSummary => ({
  rules: [],
  lengthCorrelation: [],
  lengthMeasure: null,
  ms,
})

/** A checks queue over a fake app state, with each run of the checks held until the test says. */
function setup() {
  const dataset = fakeDataset('a.jsonl')
  const first = profileState('reward')
  const app = new FakeState({ dataset, profile: first })
  const runs: { dataset: LoadedDataset; profile: Profile; result: Deferred<QaSummary> }[] = []
  const check = vi.fn((dataset: LoadedDataset, profile: Profile) => {
    const result = deferred<QaSummary>()
    runs.push({ dataset, profile, result })
    return result.promise
  })
  const queue = new ChecksQueue({ getState: app.getState, set: app.set, check })
  return { app, dataset, first, queue, runs, check }
}

describe('ChecksQueue', () => {
  it('shows what the checks found, and nothing while they run', async () => {
    const { app, dataset, first, queue, runs } = setup()
    app.set({ qa: summary(1), qaError: 'old' })
    const done = queue.run(dataset, first)
    expect(app.state.qa).toBeNull()
    expect(app.state.qaError).toBeNull()
    await settle()
    expect(runs.map((run) => run.profile)).toEqual([first.profile])
    runs[0]?.result.resolve(summary(42))
    await done
    expect(app.state.qa).toEqual(summary(42))
  })

  it('runs one check at a time, and an older profile does not overwrite a newer one', async () => {
    const { app, dataset, first, queue, runs, check } = setup()
    const older = queue.run(dataset, first)
    await settle()
    const second = profileState('score')
    app.set({ profile: second })
    const newer = queue.run(dataset, second)
    await settle()
    expect(check).toHaveBeenCalledTimes(1)

    runs[0]?.result.resolve(summary(1))
    await older
    expect(app.state.qa).toBeNull()
    await settle()
    expect(runs.map((run) => run.profile)).toEqual([first.profile, second.profile])
    runs[1]?.result.resolve(summary(2))
    await newer
    expect(app.state.qa).toEqual(summary(2))
  })

  it('skips a queued run whose profile was replaced before it could start', async () => {
    const { app, dataset, first, queue, runs, check } = setup()
    const running = queue.run(dataset, first)
    await settle()
    const second = profileState('score')
    app.set({ profile: second })
    const skipped = queue.run(dataset, second)
    const third = profileState('tests')
    app.set({ profile: third })
    const latest = queue.run(dataset, third)
    await settle()
    runs[0]?.result.resolve(summary(1))
    await Promise.all([running, skipped])
    await settle()
    expect(check.mock.calls.map(([, profile]) => profile)).toEqual([first.profile, third.profile])
    runs[1]?.result.resolve(summary(3))
    await latest
    expect(app.state.qa).toEqual(summary(3))
  })

  it('does not report the failure of a run for a dataset no longer open', async () => {
    const { app, dataset, first, queue, runs } = setup()
    const done = queue.run(dataset, first)
    await settle()
    const other = fakeDataset('b.jsonl')
    const otherProfile = profileState('reward')
    app.set({ dataset: other, profile: otherProfile, qa: summary(7) })
    runs[0]?.result.reject(new Error('out of memory'))
    await done
    expect(app.state.qaError).toBeNull()
    expect(app.state.qa).toEqual(summary(7))
  })

  it('says why the checks could not run, and a later run clears it', async () => {
    const { app, dataset, first, queue, runs } = setup()
    const failed = queue.run(dataset, first)
    await settle()
    runs[0]?.result.reject(new Error('Binder Error: no such column'))
    await failed
    expect(app.state.qaError).toBe('The reward checks could not run: Binder Error: no such column')

    const again = queue.run(dataset, first)
    expect(app.state.qaError).toBeNull()
    await settle()
    runs[1]?.result.resolve(summary(5))
    await again
    expect(app.state).toMatchObject({ qa: summary(5), qaError: null })
  })

  it('makes views filtering by rules ask again, since the findings were rebuilt', async () => {
    const { app, dataset, first, queue, runs } = setup()
    const plain = queue.run(dataset, first)
    await settle()
    runs[0]?.result.resolve(summary(1))
    await plain
    expect(app.state.dataVersion).toBe(0)

    app.set({ filter: { ...EMPTY_FILTER, rules: ['empty-code'] } })
    const byRules = queue.run(dataset, first)
    await settle()
    runs[1]?.result.resolve(summary(2))
    await byRules
    expect(app.state.dataVersion).toBe(1)
  })

  it('stops parsing when cancelled: the checks stay, and the panel says the parse checks did not run', async () => {
    const dataset = fakeDataset('a.jsonl')
    const first = profileState('reward')
    const app = new FakeState({ dataset, profile: first })
    let going: () => boolean = () => true
    const finished = deferred<null>()
    const queue = new ChecksQueue({
      getState: app.getState,
      set: app.set,
      check: () => Promise.resolve(summary(1)),
      parse: (_dataset, _profile, onProgress, current) => {
        going = current
        onProgress({ done: 1024, total: 4096 })
        return finished.promise
      },
    })
    const done = queue.run(dataset, first)
    await settle()
    expect(app.state.qaParsing).toEqual({ done: 1024, total: 4096 })
    queue.cancelParse()
    expect(going()).toBe(false)
    expect(app.state.qaParsing).toEqual({ done: 1024, total: 4096, cancelled: true })
    finished.resolve(null)
    await done
    expect(app.state.qa).toEqual(summary(1))
    expect(app.state.qaParsing?.cancelled).toBe(true)
  })
})
