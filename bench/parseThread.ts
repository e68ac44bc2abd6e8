/** A parse worker for bench/parse.ts: the app's `ParseCore` in a Node worker thread. */
import { parentPort } from 'node:worker_threads'
import { nodeParser } from '../test/support/parseNode'
import type { ParseBatchRequest, ParseBatchResponse } from '../renderer/data/parse/core/protocol'

let queue: Promise<void> = Promise.resolve()
parentPort?.on('message', (request: ParseBatchRequest) => {
  queue = queue.then(async () => {
    const parser = await nodeParser()
    const facts = []
    for (const item of request.items) facts.push(await parser.facts(item))
    parentPort?.postMessage({
      id: request.id,
      facts,
      cached: parser.cached,
    } satisfies ParseBatchResponse)
  })
})
