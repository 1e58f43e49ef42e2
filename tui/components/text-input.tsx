/**
 * A one-line text field that owns the keyboard while shown: printable keys type, Backspace
 * deletes, Enter submits, Esc cancels. `mask` shows • for secrets (tokens).
 */
import { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useOwnedInput } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

export interface TextInputProps {
  label: string;
  initial?: string;
  mask?: boolean;
  example?: string;
  onSubmit(value: string): void;
  onCancel?(): void;
  /** Called on every edit (live filters). */
  onChange?(value: string): void;
}

export function TextInput({ label, initial = '', mask = false, example, onSubmit, onCancel, onChange }: TextInputProps) {
  const [value, setValue] = useState(initial);
  // The text so far, current between renders: keys typed faster than Ink redraws all count.
  const text = useRef(initial);
  const theme = useTheme();
  useOwnedInput((input, key) => {
    if (key.return) return onSubmit(text.current);
    if (key.escape) return onCancel?.();
    let next = text.current;
    if (key.backspace || key.delete) next = Array.from(next).slice(0, -1).join('');
    else if (key.ctrl && input === 'u') next = '';
    else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab && input) {
      // Typed ahead or pasted with its Enter ("unlock\r" in one read): the line ends there.
      const end = input.search(/[\r\n]/);
      next += (end < 0 ? input : input.slice(0, end)).replace(/[\t\x00-\x1f\x7f]/g, ''); // eslint-disable-line no-control-regex
      if (end >= 0) {
        text.current = next;
        setValue(next);
        return onSubmit(next);
      }
    }
    if (next !== text.current) {
      text.current = next;
      setValue(next);
      onChange?.(next);
    }
  });
  const shown = mask ? '•'.repeat(Array.from(value).length) : value;
  // The label stays whole; a long value loses its start, so the cursor end stays in view.
  return (
    <Box width="100%">
      <Box flexShrink={0}><Text bold>{label} </Text></Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-start">
          {shown}
          <Text inverse> </Text>
          {value === '' && example ? <Text color={theme.tone('dim')}> {example}</Text> : null}
        </Text>
      </Box>
    </Box>
  );
}
