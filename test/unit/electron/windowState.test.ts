import { describe, expect, it } from 'vitest'
import { MIN_WINDOW_SIZE, restorableBounds, windowTitle } from '../../../electron/main/windowState'

describe('windowTitle', () => {
  it('names the app alone, then the dataset first', () => {
    expect(windowTitle(null)).toBe('RewardLens')
    expect(windowTitle('train.jsonl')).toBe('train.jsonl — RewardLens')
  })
})

describe('restorableBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }]
  const saved = { x: 100, y: 50, width: 1200, height: 800, maximized: false }

  it('restores bounds that are on a screen', () => {
    expect(restorableBounds(saved, screen)).toEqual(saved)
  })

  it('forgets bounds on a monitor that is gone', () => {
    expect(restorableBounds({ ...saved, x: 2500 }, screen)).toBeNull()
    expect(restorableBounds({ ...saved, x: 1900 }, screen)).toBeNull()
  })

  it('finds bounds on a second screen', () => {
    const two = [...screen, { x: 1920, y: 0, width: 2560, height: 1440 }]
    expect(restorableBounds({ ...saved, x: 2500 }, two)).toEqual({ ...saved, x: 2500 })
  })

  it('grows a window saved smaller than the minimum', () => {
    expect(restorableBounds({ ...saved, width: 10, height: 10 }, screen)).toMatchObject(
      MIN_WINDOW_SIZE,
    )
  })

  it('has nothing to restore on a first run', () => {
    expect(restorableBounds(null, screen)).toBeNull()
  })
})
