import { describe, expect, it } from 'vitest'
import {
  LSH_RECALL,
  SIGNATURE_SIZE,
  isEmptySignature,
  lshBands,
  shingleJaccard,
  signature,
  similarity,
  textShingles,
  textSignatures,
} from '../../../../renderer/data/neardup/core'
import { seededRandom } from '../../../fixtures/problemPrompts'

describe('signatures', () => {
  it('gives a text without shingles the empty signature, similar to nothing', () => {
    const sigs = textSignatures('prompt', ['', ' ?! ', 'hello world'], null)
    expect(isEmptySignature(sigs, 0)).toBe(true)
    expect(isEmptySignature(sigs, SIGNATURE_SIZE)).toBe(true)
    expect(isEmptySignature(sigs, 2 * SIGNATURE_SIZE)).toBe(false)
    expect(similarity(sigs, 0, sigs, SIGNATURE_SIZE)).toBe(0)
  })

  it('gives texts that normalise alike similarity 1, short ones included', () => {
    const sigs = textSignatures('prompt', ['Sort it.', 'SORT  it!', 'abc', 'ABC'], null)
    expect(similarity(sigs, 0, sigs, SIGNATURE_SIZE)).toBe(1)
    expect(similarity(sigs, 2 * SIGNATURE_SIZE, sigs, 3 * SIGNATURE_SIZE)).toBe(1)
  })

  it('estimates the Jaccard similarity of random sets within 0.1', () => {
    const random = seededRandom(7)
    const errors: number[] = []
    for (let pair = 0; pair < 400; pair++) {
      const size = 5 + Math.floor(random() * 400)
      const a = Uint32Array.from({ length: size }, () => (random() * 2 ** 32) >>> 0)
      const keep = random()
      const b = a.map((h) => (random() < keep ? h : (random() * 2 ** 32) >>> 0))
      const estimate = similarity(signature(a), 0, signature(b), 0)
      errors.push(Math.abs(estimate - shingleJaccard(a, b)))
    }
    const within = errors.filter((e) => e <= 0.1).length / errors.length
    const mean = errors.reduce((x, y) => x + y) / errors.length
    expect(within).toBeGreaterThanOrEqual(0.97)
    expect(mean).toBeLessThan(0.03)
  })

  it('estimates the similarity of a prompt and its rewording', () => {
    const a = textShingles(
      'prompt',
      'Write a function that returns the sum of all even numbers in a list of integers. The list may be empty.',
      null,
    )
    const b = textShingles(
      'prompt',
      'write a function that returns the total of all even numbers in a list of integers; the list may be empty!',
      null,
    )
    const exact = shingleJaccard(a, b)
    expect(exact).toBeGreaterThan(0.8)
    expect(Math.abs(similarity(signature(a), 0, signature(b), 0) - exact)).toBeLessThan(0.1)
  })

  it('bands the signature so that pairs at the threshold are candidates 99% of the time', () => {
    expect(lshBands(0.8)).toEqual({ bands: 21, rows: 6 })
    for (const threshold of [0.5, 0.7, 0.8, 0.9]) {
      const { bands, rows } = lshBands(threshold)
      expect(bands * rows).toBeLessThanOrEqual(SIGNATURE_SIZE)
      expect(1 - (1 - threshold ** rows) ** bands).toBeGreaterThanOrEqual(LSH_RECALL)
    }
  })
})
