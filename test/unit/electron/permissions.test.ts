import { describe, expect, it } from 'vitest'
import { isPermissionGranted } from '../../../electron/main/permissions'

describe('isPermissionGranted', () => {
  it('lets the app page write to the clipboard, by its URL or its origin', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', 'rewardlens://app/index.html')).toBe(
      true,
    )
    expect(isPermissionGranted('clipboard-sanitized-write', 'rewardlens://app')).toBe(true)
  })

  it('refuses the clipboard to any other origin', () => {
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'rewardlens://other/',
      '',
      undefined,
    ])
      expect(isPermissionGranted('clipboard-sanitized-write', url), String(url)).toBe(false)
  })

  it('refuses every other permission, even to the app', () => {
    for (const permission of [
      'clipboard-read',
      'media',
      'notifications',
      'geolocation',
      'openExternal',
      'fileSystem',
      'fullscreen',
      'unknown',
    ])
      expect(isPermissionGranted(permission, 'rewardlens://app/index.html'), permission).toBe(false)
  })
})
