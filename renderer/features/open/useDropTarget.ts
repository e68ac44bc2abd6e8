import { useEffect, useState } from 'react'
import type { Host } from '../../../shared/host'
import type { AppStore } from '../../app/store'

/** Opens files dropped anywhere on the window; true while something is dragged over it. */
export function useDropTarget(host: Host, store: AppStore): boolean {
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth++
      setDragging(true)
    }
    const onLeave = () => {
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault()
    }
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      // Without this the browser would navigate to the dropped file.
      e.preventDefault()
      depth = 0
      setDragging(false)
      const transfer = e.dataTransfer
      if (!transfer) return
      // Entries must be taken now: the drop's items are gone once this handler returns.
      const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null)
      const files = Array.from(transfer.files)
      void store.openFrom(async () => {
        const dropped = entries.some((entry) => entry?.isDirectory)
          ? await filesOfEntries(entries.filter((entry) => entry !== null))
          : files
        return dropped.length > 0 ? host.openDropped(dropped) : null
      })
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [host, store])
  return dragging
}

/**
 * Every file under dropped folders (a Hugging Face snapshot keeps its shards in `data/`), each
 * with its path from the dropped folder as `webkitRelativePath`, as a folder input gives them.
 * Hidden files and folders (`.git`, `.cache`) are left out.
 */
async function filesOfEntries(entries: readonly FileSystemEntry[]): Promise<File[]> {
  const out: File[] = []
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.name.startsWith('.')) return
    const relative = `${prefix}${entry.name}`
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      )
      Object.defineProperty(file, 'webkitRelativePath', { value: relative })
      out.push(file)
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader()
      // readEntries answers in batches until it answers none.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
          reader.readEntries(resolve, reject),
        )
        if (batch.length === 0) break
        for (const child of batch) await walk(child, `${relative}/`)
      }
    }
  }
  for (const entry of entries) await walk(entry, '')
  return out
}
