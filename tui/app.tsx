/**
 * The console: a header, the current screen, and a footer of single keys. It talks to the
 * daemon only through the API client of its Connection; it never opens the database.
 * Locks itself after `idleLockMinutes` without a key press.
 */
import { useCallback, useContext, useMemo, useState } from 'react';
import { Box, useApp, useInput } from 'ink';
import { Header } from './components/header.js';
import { NavBar } from './components/nav-bar.js';
import type { Connection } from './connection.js';
import { ConnectionContext } from './hooks/use-connection.js';
import { EventsContext, useEventStream } from './hooks/use-events.js';
import { HealthContext, useHealthPoll } from './hooks/use-health.js';
import { useIdleLock } from './hooks/use-idle-lock.js';
import { KeyboardContext, useKeyRouter, useKeymap, useKeys } from './hooks/use-keymap.js';
import { useTerminalSize, type Size } from './hooks/use-terminal-size.js';
import { SCREENS, type ScreenId } from './screen-list.js';
import { AccessScreen } from './screens/access.js';
import { AuditScreen } from './screens/audit.js';
import { FoldersScreen } from './screens/folders.js';
import { HelpScreen } from './screens/help.js';
import { JobsScreen } from './screens/jobs.js';
import { LockScreen } from './screens/lock-screen.js';
import { MaintenanceScreen } from './screens/maintenance.js';
import { OverviewScreen } from './screens/overview.js';
import { ScansScreen } from './screens/scans.js';
import { makeTheme, ThemeContext } from './theme.js';
import { SiteContext, type Site } from './site.js';

export interface AppProps {
  connection: Connection;
  /** Minutes without a key press before the console locks (config console.idleLockMinutes). */
  idleLockMinutes: number;
  /** False under NO_COLOR. */
  colour: boolean;
  /** A fixed size (tests, captures); default the terminal's, at least 80×24. */
  size?: Size;
  initialScreen?: ScreenId;
  /** Where the overview reads the certificate and the disk space (see use-overview). */
  site?: Site;
}

/** The screen area: everything but the header and the footer, and one spare row so Ink never scrolls. */
const CHROME_ROWS = 3;

export function App(props: AppProps) {
  const theme = useMemo(() => makeTheme(props.colour), [props.colour]);
  const keyboard = useKeyRouter();
  return (
    <ThemeContext.Provider value={theme}>
      <ConnectionContext.Provider value={props.connection}>
        <KeyboardContext.Provider value={keyboard}>
          <SiteContext.Provider value={props.site ?? {}}>
            <Shell {...props} />
          </SiteContext.Provider>
        </KeyboardContext.Provider>
      </ConnectionContext.Provider>
    </ThemeContext.Provider>
  );
}

function Shell({ connection, idleLockMinutes, size: fixed, initialScreen = 'overview' }: AppProps) {
  const { exit } = useApp();
  const router = useContext(KeyboardContext);
  useInput((input, key) => router.feed(input, key));
  const size = useTerminalSize(fixed);
  const [screen, setScreen] = useState<ScreenId>(initialScreen);
  const [help, setHelp] = useState(false);
  const onLock = useCallback(() => connection.lock(), [connection]);
  const lock = useIdleLock(idleLockMinutes * 60_000, onLock);

  useKeys((input, key) => {
    if (key.ctrl && input === 'l') lock.lock();
  }, { active: !lock.locked, owner: true });

  const keys: Record<string, () => void> = { q: exit, '?': () => setHelp((h) => !h) };
  for (const s of SCREENS) {
    keys[s.key] = () => {
      setScreen(s.id);
      setHelp(false);
    };
  }
  if (help) keys.escape = () => setHelp(false);
  useKeymap(keys, { active: !lock.locked });

  const width = size.columns;
  const height = size.rows - CHROME_ROWS;
  const title = help ? 'Help' : SCREENS.find((s) => s.id === screen)!.title;

  if (lock.locked) {
    return (
      <Box flexDirection="column" width={width}>
        <Header title="Locked" mode={connection.mode} target={connection.target} width={width} locked />
        <LockScreen connection={connection} minutes={idleLockMinutes} reason={lock.reason} onUnlocked={lock.unlocked} width={width} height={height + 1} />
      </Box>
    );
  }
  return <Unlocked width={width} height={height} title={title} screen={screen} help={help} idleLockMinutes={idleLockMinutes} connection={connection} />;
}

interface UnlockedProps {
  width: number;
  height: number;
  title: string;
  screen: ScreenId;
  help: boolean;
  idleLockMinutes: number;
  connection: Connection;
}

/** Mounted only while unlocked: the health poll and the event stream stop with it. */
function Unlocked({ width, height, title, screen, help, idleLockMinutes, connection }: UnlockedProps) {
  const health = useHealthPoll();
  const events = useEventStream();
  const down = health.error !== undefined;
  const body = help ? <HelpScreen width={width} height={height} idleMinutes={idleLockMinutes} /> : <CurrentScreen screen={screen} width={width} height={height} />;
  return (
    <EventsContext.Provider value={events}>
      <HealthContext.Provider value={health}>
        <Box flexDirection="column" width={width}>
          <Header title={title} mode={connection.mode} target={connection.target} width={width} health={health.data} down={down} />
          <Box height={height} width={width} flexDirection="column" overflow="hidden">{body}</Box>
          <NavBar current={help ? 'help' : screen} width={width} />
        </Box>
      </HealthContext.Provider>
    </EventsContext.Provider>
  );
}

function CurrentScreen({ screen, width, height }: { screen: ScreenId; width: number; height: number }) {
  const props = { width, height };
  switch (screen) {
    case 'overview': return <OverviewScreen {...props} />;
    case 'scans': return <ScansScreen {...props} />;
    case 'jobs': return <JobsScreen {...props} />;
    case 'folders': return <FoldersScreen {...props} />;
    case 'access': return <AccessScreen {...props} />;
    case 'audit': return <AuditScreen {...props} />;
    case 'maintenance': return <MaintenanceScreen {...props} />;
  }
}
