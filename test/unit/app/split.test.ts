import { describe, expect, it } from 'vitest'
import {
  DEFAULT_DETAIL_SHARE,
  MIN_TABLE,
  detailPaneWidth,
  detailShare,
  splitRoom,
} from '../../../renderer/app/split'

const width = (windowWidth: number, options: { wide?: boolean } = {}) =>
  detailPaneWidth({ windowWidth, share: DEFAULT_DETAIL_SHARE, wide: options.wide ?? false })

describe('detailPaneWidth', () => {
  it('gives the detail most of a wide window and leaves the table a usable width', () => {
    expect(width(1440)).toBeGreaterThanOrEqual(720)
    expect(splitRoom(1440) - width(1440)).toBeGreaterThanOrEqual(440)
  })

  it('keeps a widened pane inside a window made smaller, beside a usable table', () => {
    for (const windowWidth of [1440, 1024, 800]) {
      const detail = width(windowWidth, { wide: true })
      expect(splitRoom(windowWidth) - detail).toBeGreaterThanOrEqual(MIN_TABLE - 10)
    }
  })

  it('follows the window: a dragged width is kept as a share of the room', () => {
    const share = detailShare(600, 1440)
    const at1024 = detailPaneWidth({ windowWidth: 1024, share, wide: false })
    expect(at1024 / splitRoom(1024)).toBeCloseTo(600 / splitRoom(1440), 2)
  })
})
