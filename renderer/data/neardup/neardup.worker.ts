/**
 * The near-duplicate worker: signatures and groups computed off the main thread, so hashing a
 * million prompts never blocks the window. Requests are answered one after another, in order;
 * result arrays are transferred, not copied.
 */
import { groupSignatures, matchSignatures, textSignatures } from './core'
import type { NearDupRequest, NearDupResponse } from './protocol'

function answer(request: NearDupRequest): { response: NearDupResponse; transfer: ArrayBuffer[] } {
  const { id } = request
  switch (request.op) {
    case 'signatures': {
      const signatures = textSignatures(request.kind, request.texts, request.languages)
      return {
        response: { id, op: 'signatures', signatures },
        transfer: [signatures.buffer as ArrayBuffer],
      }
    }
    case 'group': {
      const { group, similarity } = groupSignatures(
        request.signatures,
        request.count,
        request.threshold,
      )
      return {
        response: { id, op: 'group', group, similarity },
        transfer: [group.buffer as ArrayBuffer, similarity.buffer as ArrayBuffer],
      }
    }
    case 'match': {
      const { match, similarity } = matchSignatures(
        request.reference,
        request.referenceCount,
        request.query,
        request.queryCount,
        request.threshold,
      )
      return {
        response: { id, op: 'match', match, similarity },
        transfer: [match.buffer as ArrayBuffer, similarity.buffer as ArrayBuffer],
      }
    }
  }
}

self.onmessage = (event: MessageEvent<NearDupRequest>) => {
  let reply: { response: NearDupResponse; transfer: ArrayBuffer[] }
  try {
    reply = answer(event.data)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    reply = { response: { id: event.data.id, error: message }, transfer: [] }
  }
  self.postMessage(reply.response, reply.transfer)
}
