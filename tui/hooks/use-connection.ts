/** The daemon connection of the running console, for every screen and hook. */
import { createContext, useContext } from 'react';
import type { Connection } from '../connection.js';

export const ConnectionContext = createContext<Connection | undefined>(undefined);

/** The connection; screens are only mounted while it is unlocked. */
export function useConnection(): Connection {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('useConnection outside the console');
  return connection;
}
