import { describe, expect, it } from 'vitest'
import {
  groupSignatures,
  matchSignatures,
  textSignatures,
} from '../../../../renderer/data/neardup/core'
import {
  type StartNearDupWorker,
  nearDupWorkerService,
} from '../../../../renderer/data/neardup/client'
import type { NearDupRequest, NearDupResponse } from '../../../../renderer/data/neardup/protocol'

/** The worker's answer to a request, computed by the same core in this thread. */
function answer(request: NearDupRequest): NearDupResponse {
  const { id } = request
  switch (request.op) {
    case 'signatures':
      return {
        id,
        op: 'signatures',
        signatures: textSignatures(request.kind, request.texts, request.languages),
      }
    case 'group':
      return {
        id,
        op: 'group',
        ...groupSignatures(request.signatures, request.count, request.threshold),
      }
    case 'match':
      return {
        id,
        op: 'match',
        ...matchSignatures(
          request.reference,
          request.referenceCount,
          request.query,
          request.queryCount,
          request.threshold,
        ),
      }
  }
}

/** Workers that answer on the next tick, and die on a request for a text named "crash". */
function threadWorkers(): { start: StartNearDupWorker; started: () => number } {
  let started = 0
  const start: StartNearDupWorker = (onResponse, onFailure) => {
    started++
    let alive = true
    return {
      post(request) {
        setTimeout(() => {
          if (!alive) return
          if (request.op === 'signatures' && request.texts.includes('crash')) {
            alive = false
            onFailure('out of memory')
          } else onResponse(answer(request))
        }, 0)
      },
      terminate() {
        alive = false
      },
    }
  }
  return { start, started: () => started }
}

describe('nearDupWorkerService', () => {
  it('starts one worker on first use and answers through it', async () => {
    const workers = threadWorkers()
    const service = nearDupWorkerService(workers.start)
    expect(workers.started()).toBe(0)
    const texts = ['merge two sorted lists', 'Merge two sorted lists!', 'reverse a string']
    const [signatures, again] = await Promise.all([
      service.signatures('prompt', texts, null),
      service.signatures('prompt', texts, null),
    ])
    expect(signatures).toEqual(again)
    const { group } = await service.group(signatures, 3, 0.8)
    expect([...group]).toEqual([0, 0, -1])
    const { match } = await service.match(signatures, 1, signatures, 3, 0.8)
    expect([...match]).toEqual([0, 0, -1])
    expect(workers.started()).toBe(1)
  })

  it('fails the calls in flight when the worker dies, and starts a new one for the next', async () => {
    const workers = threadWorkers()
    const service = nearDupWorkerService(workers.start)
    const doomed = service.signatures('prompt', ['crash'], null)
    const alongside = service.signatures('prompt', ['fine'], null)
    await expect(doomed).rejects.toThrow('The near-duplicate worker stopped: out of memory')
    await expect(alongside).rejects.toThrow('The near-duplicate worker stopped')
    const after = await service.signatures('prompt', ['fine'], null)
    expect(after).toEqual(textSignatures('prompt', ['fine'], null))
    expect(workers.started()).toBe(2)
  })
})
