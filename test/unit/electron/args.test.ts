import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { pathsFromArgv } from '../../../electron/main/args'

const cwd = path.resolve('/home/me/work')
const packaged = { cwd, defaultApp: false }
const dev = { cwd, defaultApp: true }

describe('pathsFromArgv', () => {
  it('finds nothing when only the app was started', () => {
    expect(pathsFromArgv(['/opt/RewardLens/rewardlens'], packaged)).toEqual([])
    expect(pathsFromArgv(['/usr/bin/electron', '.'], dev)).toEqual([])
  })

  it('resolves a relative path against the working directory', () => {
    expect(pathsFromArgv(['/opt/RewardLens/rewardlens', 'data/train.jsonl'], packaged)).toEqual([
      path.join(cwd, 'data', 'train.jsonl'),
    ])
    expect(pathsFromArgv(['rewardlens', '../shards'], packaged)).toEqual([
      path.resolve(cwd, '..', 'shards'),
    ])
  })

  it('keeps an absolute path as it is', () => {
    const absolute = path.resolve('/data/acecode')
    expect(pathsFromArgv(['rewardlens', absolute], packaged)).toEqual([absolute])
  })

  it('skips the app path in development, even after switches', () => {
    expect(pathsFromArgv(['electron', '.', 'x.jsonl'], dev)).toEqual([path.join(cwd, 'x.jsonl')])
    expect(
      pathsFromArgv(['electron', '--inspect=9229', '.', '--trace-warnings', 'x.jsonl'], dev),
    ).toEqual([path.join(cwd, 'x.jsonl')])
  })

  it('skips the switches Chromium adds to a second instance and the macOS process serial number', () => {
    const argv = [
      '/opt/RewardLens/rewardlens',
      '--allow-file-access-from-files',
      '--original-process-start-time=13376542837481',
      '-psn_0_1234567',
      '/data/folder',
    ]
    expect(pathsFromArgv(argv, packaged)).toEqual([path.resolve('/data/folder')])
  })

  it('returns several paths in order', () => {
    expect(pathsFromArgv(['rewardlens', 'a.jsonl', 'b.jsonl'], packaged)).toEqual([
      path.join(cwd, 'a.jsonl'),
      path.join(cwd, 'b.jsonl'),
    ])
  })

  it('takes everything after -- as a path', () => {
    expect(pathsFromArgv(['rewardlens', '--', '-odd-name.jsonl'], packaged)).toEqual([
      path.join(cwd, '-odd-name.jsonl'),
    ])
  })

  it('turns a file URL from a desktop launcher into a path', () => {
    expect(pathsFromArgv(['rewardlens', 'file:///data/my%20set.jsonl'], packaged)).toEqual([
      path.resolve('/data/my set.jsonl'),
    ])
  })
})
