import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { demoDatasetJsonl, DEMO_DATASET_FILE } from './scripts/demoData.ts'
import { pyodideAssets } from './scripts/pyodideAssets.ts'

/** Serves the generated demo dataset in dev and emits it into the build, so it is never committed. */
function demoDataset(): Plugin {
  return {
    name: 'rewardlens-demo-dataset',
    configureServer(server) {
      server.middlewares.use(`/${DEMO_DATASET_FILE}`, (_req, res) => {
        res.setHeader('Content-Type', 'application/x-ndjson')
        res.end(demoDatasetJsonl())
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: DEMO_DATASET_FILE, source: demoDatasetJsonl() })
    },
  }
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), demoDataset(), pyodideAssets()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2023',
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
})
