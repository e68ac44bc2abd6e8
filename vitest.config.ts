import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // One line per run when ../shared/realdata is absent; the tests that read it skip themselves.
    globalSetup: ['test/support/realdataNotice.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'engine',
          include: ['test/engine/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The same engine tests on the desktop app's native DuckDB, through the engine protocol.
          name: 'engine-native',
          include: ['test/engine/**/*.test.ts'],
          // Test re-runs against Python alone, no engine: once is enough.
          exclude: [
            'test/engine/rerun/hostile.test.ts',
            'test/engine/rerun/realdata.test.ts',
            'test/engine/rerun/pytestAgreement.test.ts',
          ],
          environment: 'node',
          env: { RL_ENGINE: 'native' },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // A person waits a moment for the engine; so do the tests, on slow CI machines too.
          expect: { poll: { timeout: 20_000, interval: 100 } },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
