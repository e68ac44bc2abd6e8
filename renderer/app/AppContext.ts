/** The store and engine, handed to every view through React context. */
import { createContext, useContext } from 'react'
import type { Host } from '../../shared/host'
import type { Engine } from '../data/engine'
import type { AppStore } from './store'

/** What every view may reach: the store, the engine and the Host. */
export interface AppServices {
  readonly store: AppStore
  readonly engine: () => Promise<Engine>
  readonly host: Host
}

/** The app's services; provided once by App. */
export const AppContext = createContext<AppServices | null>(null)

/** The app's services; only valid under App. */
export function useServices(): AppServices {
  const services = useContext(AppContext)
  if (!services) throw new Error('useServices outside App')
  return services
}
