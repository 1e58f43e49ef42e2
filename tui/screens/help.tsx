/** `?`: every screen's key and purpose, the common keys, and the lock policy. */
import { Box, Text } from 'ink';
import { minutes } from '../format.js';
import { SCREENS } from '../screen-list.js';
import { useTheme } from '../theme.js';

export function HelpScreen({ width, height, idleMinutes }: { width: number; height: number; idleMinutes: number }) {
  const theme = useTheme();
  const accent = theme.tone('accent');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>Screens</Text>
      {SCREENS.map((s) => (
        <Text key={s.id} wrap="truncate-end">
          {'  '}<Text bold color={accent}>{s.key}</Text> {s.title.padEnd(12)} <Text color={theme.tone('dim')}>{s.about}</Text>
        </Text>
      ))}
      <Text> </Text>
      <Text bold>In every screen</Text>
      <Text wrap="truncate-end">{'  '}<Text bold color={accent}>↑↓</Text> or <Text bold color={accent}>j k</Text> move   <Text bold color={accent}>PgUp PgDn</Text> page   <Text bold color={accent}>⏎</Text> open   <Text bold color={accent}>Esc</Text> back</Text>
      <Text wrap="truncate-end">{'  '}<Text bold color={accent}>?</Text> this help   <Text bold color={accent}>q</Text> quit   <Text bold color={accent}>Ctrl+L</Text> lock now</Text>
      <Text wrap="truncate-end">{'  '}Destructive actions ask first: <Text bold>y</Text> confirms, any other key cancels.</Text>
      <Text> </Text>
      <Text wrap="wrap">The console locks itself after {minutes(idleMinutes)} without a key press (console.idleLockMinutes). Colours follow NO_COLOR.</Text>
      <Text color={theme.tone('dim')}>Press any screen key or Esc to leave help.</Text>
    </Box>
  );
}
