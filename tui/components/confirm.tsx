/**
 * The question before a destructive action. It owns the keyboard: `y` confirms, any
 * other key (Esc, n, Enter) cancels — the safe answer is the default. `more` adds other
 * answers (e.g. `e` to edit first).
 */
import { Text } from 'ink';
import { useOwnedInput } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

export interface ConfirmProps {
  question: string;
  onYes(): void;
  onNo(): void;
  more?: Array<[key: string, label: string, act: () => void]>;
}

export function Confirm({ question, onYes, onNo, more = [] }: ConfirmProps) {
  const theme = useTheme();
  useOwnedInput((input) => {
    if (input === 'y' || input === 'Y') return onYes();
    const other = more.find(([k]) => k === input);
    return other ? other[2]() : onNo();
  });
  const extra = more.map(([k, label]) => ` · ${k} ${label}`).join('');
  // The keys first: a long question (a path) is cut at the right edge, the answer never.
  return (
    <Text wrap="truncate-end" color={theme.tone('warn')} bold>
      [y yes{extra} · other key: no] {question}
    </Text>
  );
}
