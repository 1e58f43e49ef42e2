/**
 * A one-line text field that owns the keyboard while shown: printable keys type, Backspace
 * deletes, Enter submits, Esc cancels. `mask` shows • for secrets (tokens).
 */
import { useState } from 'react';
import { Text, useInput } from 'ink';
import { useHoldKeyboard } from '../hooks/use-keymap.js';
import { useTheme } from '../theme.js';

export interface TextInputProps {
  label: string;
  initial?: string;
  mask?: boolean;
  placeholder?: string;
  onSubmit(value: string): void;
  onCancel?(): void;
  /** Called on every edit (live filters). */
  onChange?(value: string): void;
}

export function TextInput({ label, initial = '', mask = false, placeholder, onSubmit, onCancel, onChange }: TextInputProps) {
  const [value, setValue] = useState(initial);
  const theme = useTheme();
  useHoldKeyboard(true);
  useInput((input, key) => {
    if (key.return) return onSubmit(value);
    if (key.escape) return onCancel?.();
    let next = value;
    if (key.backspace || key.delete) next = Array.from(value).slice(0, -1).join('');
    else if (key.ctrl && input === 'u') next = '';
    else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab && input) {
      next = value + input.replace(/[\r\n\t\x00-\x1f\x7f]/g, ''); // eslint-disable-line no-control-regex
    }
    if (next !== value) {
      setValue(next);
      onChange?.(next);
    }
  });
  const shown = mask ? '•'.repeat(Array.from(value).length) : value;
  return (
    <Text wrap="truncate-start">
      <Text bold>{label}</Text> {shown}
      <Text inverse> </Text>
      {value === '' && placeholder ? <Text color={theme.tone('dim')}> {placeholder}</Text> : null}
    </Text>
  );
}
