import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { IpcMain } from 'electron'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileGrants } from '../../../electron/main/grants'
import { HostService, registerHostChannels } from '../../../electron/main/hostService'
import { createHandle } from '../../../electron/main/ipc'
import type { SenderEvent } from '../../../electron/main/ipc'
import { SettingsStore } from '../../../electron/main/settings'
import type { FlagsDocument } from '../../../shared/flags'
import { HostError } from '../../../shared/host'

let dir: string
let dataDir: string

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rewardlens-host-flags-'))
  dataDir = path.join(dir, 'app-data')
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function touch(name: string): Promise<string> {
  const file = path.join(dir, name)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, '{"reward":1}\n')
  return file
}

async function setup(): Promise<HostService> {
  return new HostService({
    grants: new FileGrants(),
    settings: await SettingsStore.open(path.join(dir, 'settings.json')),
    demoDataset: path.join(dir, 'web', 'demo', 'code-rlaif-demo.jsonl'),
    chooseFile: () => Promise.resolve(null),
    chooseFolder: () => Promise.resolve(null),
    chooseExportPath: () => Promise.resolve(null),
    dataDir,
  })
}

const flagsDoc: FlagsDocument = {
  version: 1,
  dataset: { name: 'train.jsonl', size: 13 },
  flags: [{ row: 0, hash: 'abc', note: 'reward looks wrong', at: '2026-11-21T12:00:00.000Z' }],
}

describe('HostService flags', () => {
  it('saves flags beside a dataset opened in the window and reads them back', async () => {
    const file = await touch('train.jsonl')
    const service = await setup()
    await service.openPaths([file])
    expect(await service.loadFlags(file)).toBeNull()
    expect(await service.saveFlags(file, flagsDoc)).toEqual({
      document: flagsDoc,
      location: `${file}.rewardlens.json`,
    })
    expect(await service.loadFlags(file)).toEqual({
      document: flagsDoc,
      location: `${file}.rewardlens.json`,
    })
  })

  it('refuses to read or write flags for a path not opened in this window', async () => {
    const file = await touch('train.jsonl')
    await writeFile(`${file}.rewardlens.json`, JSON.stringify(flagsDoc))
    const service = await setup()
    await expect(service.loadFlags(file)).rejects.toThrow(
      new HostError(`Cannot read the flags of ${file}: it was not opened in this window`),
    )
    await expect(service.saveFlags(path.join(dir, 'elsewhere.jsonl'), flagsDoc)).rejects.toThrow(
      /not opened in this window/,
    )
    expect((await readdir(dir)).sort()).toEqual(['train.jsonl', 'train.jsonl.rewardlens.json'])
  })

  it('refuses a document that is not valid flags and keeps the saved one', async () => {
    const file = await touch('train.jsonl')
    const service = await setup()
    await service.openPaths([file])
    await service.saveFlags(file, flagsDoc)
    const bad = [
      { ...flagsDoc, version: 2 },
      { ...flagsDoc, flags: [{ ...flagsDoc.flags[0], row: -1 }] },
      { ...flagsDoc, flags: [{ ...flagsDoc.flags[0], note: 'x'.repeat(10_001) }] },
      'flags',
      null,
    ]
    for (const value of bad) {
      await expect(service.saveFlags(file, value)).rejects.toThrow(/they are not valid/)
    }
    expect(JSON.parse(await readFile(`${file}.rewardlens.json`, 'utf8'))).toEqual(flagsDoc)
  })

  it('saves and loads flags through the channels, for the app only', async () => {
    const file = await touch('channels.jsonl')
    type Listener = (event: SenderEvent, ...args: unknown[]) => unknown
    const listeners = new Map<string, Listener>()
    const ipcMain = {
      handle: (channel: string, listener: Listener) => listeners.set(channel, listener),
    }
    registerHostChannels(createHandle(ipcMain as unknown as Pick<IpcMain, 'handle'>), await setup())
    const invoke = async (channel: string, url: string, ...args: unknown[]) =>
      await listeners.get(channel)?.({ senderFrame: { url } } as unknown as SenderEvent, ...args)
    const app = 'rewardlens://app/index.html'
    await invoke('dataset:open-dropped', app, [file])
    expect(await invoke('flags:save', app, file, flagsDoc)).toEqual({
      document: flagsDoc,
      location: `${file}.rewardlens.json`,
    })
    expect(await invoke('flags:load', app, file)).toEqual({
      document: flagsDoc,
      location: `${file}.rewardlens.json`,
    })
    await expect(invoke('flags:load', 'https://evil.example/', file)).rejects.toThrow(/Refused/)
    await expect(invoke('flags:save', app, 42, flagsDoc)).rejects.toThrow(
      /path of a dataset is missing/,
    )
  })
})
