/**
 * Finds the dataset paths in a command line, for the first launch and for a second one.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** How the app was started, which decides what the leading arguments are. */
export interface ArgvContext {
  /** The folder relative paths are resolved against (a second launch's own working directory). */
  readonly cwd: string
  /**
   * True when running as `electron <app path>` (process.defaultApp): the first positional argument
   * is then the app itself, not a dataset.
   */
  readonly defaultApp: boolean
}

/**
 * The absolute paths of the files and folders named on a command line, in order.
 *
 * Skips the executable, the app path in development, and every switch: ours, Chromium's
 * (`--allow-file-access-from-files` is added to a second instance's argv) and macOS's `-psn_...`.
 * Switches take their values with `=`, so a word after a switch is a path. After `--` every word is a path.
 */
export function pathsFromArgv(argv: readonly string[], context: ArgvContext): string[] {
  const paths: string[] = []
  let appPathSkipped = !context.defaultApp
  let switchesEnded = false
  for (const arg of argv.slice(1)) {
    if (!switchesEnded && arg === '--') {
      switchesEnded = true
      continue
    }
    if (!switchesEnded && arg.startsWith('-')) continue
    if (arg === '') continue
    if (!appPathSkipped) {
      appPathSkipped = true
      continue
    }
    paths.push(toPath(arg, context.cwd))
  }
  return paths
}

function toPath(arg: string, cwd: string): string {
  // Linux desktop files pass %U, which can be a file:// URL rather than a path.
  if (arg.startsWith('file://')) {
    try {
      return fileURLToPath(arg)
    } catch {
      return path.resolve(cwd, arg)
    }
  }
  return path.resolve(cwd, arg)
}
