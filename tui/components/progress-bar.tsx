/** A job's progress: `[██████░░░░]  60% topology`. The glyphs carry it without colour. */
import { Text } from 'ink';
import { bar } from '../format.js';
import { useTheme } from '../theme.js';

export function ProgressBar({ fraction, width = 20, label }: { fraction: number; width?: number; label?: string }) {
  const theme = useTheme();
  const pct = `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`.padStart(4);
  return (
    <Text wrap="truncate-end">
      [<Text color={theme.tone('info')}>{bar(fraction, width)}</Text>]{pct}{label ? ` ${label}` : ''}
    </Text>
  );
}
