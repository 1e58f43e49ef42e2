/** A screen's keys in one line at the bottom of its area: "↑↓ select  ⏎ open  r retry". */
import { Text } from 'ink';
import { useTheme } from '../theme.js';

export type Hint = [key: string, what: string];

export function KeyHints({ hints }: { hints: Hint[] }) {
  const theme = useTheme();
  return (
    <Text wrap="truncate-end" color={theme.tone('dim')}>
      {hints.map(([k, what], i) => (
        <Text key={k}>
          {i > 0 ? '  ' : ''}
          <Text bold color={theme.tone('accent')}>{k}</Text> {what}
        </Text>
      ))}
    </Text>
  );
}
