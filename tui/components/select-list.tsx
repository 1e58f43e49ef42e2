/**
 * A list with a cursor that scrolls in a window of `height` rows: ↑↓ move, PgUp/PgDn
 * jump a page, Home/End go to the ends. The selected row is drawn inverse and marked ›
 * (the mark keeps it visible without colour or inverse support).
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useKeymap } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

export interface SelectListProps<T> {
  items: readonly T[];
  selected: number;
  onSelect(index: number): void;
  height: number;
  /** One row's text (without the cursor mark). */
  row(item: T, index: number): ReactNode;
  rowKey(item: T): string | number;
  /** Shown instead of rows when the list is empty. */
  empty?: string;
  active?: boolean;
  /** The list belongs to the dialog that holds the keyboard. */
  owner?: boolean;
  /** Called when the cursor moves past the last row (load the next page). */
  onEnd?(): void;
}

export function SelectList<T>({ items, selected, onSelect, height, row, rowKey, empty = '(nothing)', active = true, owner = false, onEnd }: SelectListProps<T>) {
  const theme = useTheme();
  const n = items.length;
  const page = Math.max(1, height);
  const go = (i: number) => {
    if (n === 0) return;
    if (i >= n && onEnd) onEnd();
    onSelect(Math.min(n - 1, Math.max(0, i)));
  };
  useKeymap({
    up: () => go(selected - 1), down: () => go(selected + 1), k: () => go(selected - 1), j: () => go(selected + 1),
    pageup: () => go(selected - page), pagedown: () => go(selected + page), home: () => go(0), end: () => go(n - 1),
  }, { active, owner });
  if (n === 0) return <Box height={height}><Text color={theme.tone('dim')}>{empty}</Text></Box>;
  const first = Math.min(Math.max(0, selected - Math.floor(page / 2)), Math.max(0, n - page));
  const visible = items.slice(first, first + page);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((item, i) => {
        const index = first + i;
        const isSelected = index === selected;
        return (
          <Text key={rowKey(item)} wrap="truncate-end" inverse={isSelected && active}>
            {isSelected ? '›' : ' '}{row(item, index)}
          </Text>
        );
      })}
    </Box>
  );
}
