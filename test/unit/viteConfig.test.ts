/** vite.config.ts as Vite loads it for `npm run build:web`: no warnings about the config itself. */
import { fileURLToPath } from 'node:url'
import { createLogger, loadConfigFromFile } from 'vite'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('vite.config.ts', () => {
  it('loads without warnings: every module it imports names its file extension', async () => {
    const warnings: string[] = []
    const logger = createLogger('warn')
    logger.warn = (message) => void warnings.push(message)
    logger.warnOnce = (message) => void warnings.push(message)
    const loaded = await loadConfigFromFile(
      { command: 'build', mode: 'production' },
      'vite.config.ts',
      root,
      'warn',
      logger,
    )
    expect(loaded?.config.root).toBe('renderer')
    expect(warnings).toEqual([])
  })
})
