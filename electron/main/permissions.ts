/**
 * Which web permissions the window's page gets: the clipboard write behind its Copy buttons, asked
 * by the app's own origin, and nothing else (no camera, notifications, geolocation, ...).
 *
 * Electron routes `navigator.clipboard.writeText` through the session's permission check and
 * request handlers as `clipboard-sanitized-write`; refusing it would break Copy on the desktop while
 * it works in the browser build.
 */
import { isAppUrl } from './protocol'

/** The permissions the app's page may use. Clipboard reads stay refused. */
const GRANTED: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** True when `permission`, asked by the page at `requestingUrl` (a URL or an origin), is granted. */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
): boolean {
  return GRANTED.has(permission) && isAppUrl(requestingUrl)
}
