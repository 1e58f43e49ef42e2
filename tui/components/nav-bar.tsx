/** The bottom line: the single keys of every screen, `?` help and `q` quit. */
import { Text } from 'ink';
import { SCREENS, type ScreenId } from '../screen-list.js';
import { useTheme } from '../theme.js';

export function NavBar({ current, width }: { current: ScreenId | 'help'; width: number }) {
  const theme = useTheme();
  const long = width >= 96;
  return (
    <Text wrap="truncate-end">
      {SCREENS.map((s) => (
        <Text key={s.id} inverse={s.id === current} bold={s.id === current}>
          <Text color={theme.tone('accent')} bold>{s.key}</Text>{` ${long ? s.title : s.short} `}
        </Text>
      ))}
      <Text inverse={current === 'help'}><Text color={theme.tone('accent')} bold>?</Text> help </Text>
      <Text><Text color={theme.tone('accent')} bold>q</Text> quit</Text>
    </Text>
  );
}
