/** The top line: where the console is connected, the daemon's state, the screen's name. */
import { Box, Text } from 'ink';
import type { ConnectionMode } from '../connection.js';
import { duration, fitStart } from '../format.js';
import { toneOf, useTheme } from '../theme.js';

export interface HeaderProps {
  title: string;
  mode: ConnectionMode;
  target: string;
  width: number;
  health?: { status: string; version: string; uptimeSeconds: number };
  /** True when the daemon cannot be reached. */
  down?: boolean;
  /** The console is locked: nothing is fetched, so nothing is known. */
  locked?: boolean;
}

export function Header({ title, mode, target, width, health, down, locked }: HeaderProps) {
  const theme = useTheme();
  const state = locked ? 'locked' : down ? 'unreachable' : health ? health.status : 'connecting';
  const right = health && !down ? `${state} · v${health.version} · up ${duration(health.uptimeSeconds)}` : state;
  const via = mode === 'socket' ? 'socket' : 'remote';
  const left = `Cusp ▸ ${title}`;
  const room = Math.max(8, width - left.length - right.length - via.length - 6);
  return (
    <Box width={width} justifyContent="space-between">
      <Text bold wrap="truncate-end">{left}</Text>
      <Text wrap="truncate-end" color={theme.tone('dim')}>{via} {fitStart(target, room)}</Text>
      <Text wrap="truncate-end" color={theme.tone(down ? 'bad' : locked ? 'warn' : toneOf(state) ?? 'dim')}>● {right}</Text>
    </Box>
  );
}
