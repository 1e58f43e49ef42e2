/** One line for the outcome of the last action or the last fetch error. */
import { Text } from 'ink';
import { useTheme } from '../theme.js';

export function StatusLine({ message, ok, busy }: { message?: string; ok?: boolean; busy?: boolean }) {
  const theme = useTheme();
  if (!message) return <Text> </Text>;
  const tone = busy ? 'info' : ok === false ? 'bad' : ok ? 'ok' : 'dim';
  return <Text wrap="truncate-end" color={theme.tone(tone)}>{message}</Text>;
}

/** The error of a fetch, or nothing. */
export function ErrorLine({ error }: { error?: string }) {
  const theme = useTheme();
  return error ? <Text wrap="truncate-end" color={theme.tone('bad')}>✗ {error}</Text> : null;
}
