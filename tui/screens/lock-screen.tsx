/**
 * The idle lock: nothing of the daemon's data stays on screen. The prompt shows at once and
 * says exactly what opens it: over the socket the word 'unlock', remotely the token again.
 * The first line says why it locked (the idle timeout of this console, or Ctrl+L).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { TextInput } from '../components/text-input.js';
import type { Connection } from '../connection.js';
import { minutes as minutesText } from '../format.js';
import { useTheme } from '../theme.js';

/** Why the console is locked: idle past its timeout, or Ctrl+L. */
export type LockReason = 'idle' | 'key';

export function LockScreen({ connection, minutes, reason, onUnlocked, width, height }: { connection: Connection; minutes: number; reason: LockReason; onUnlocked(): void; width: number; height: number }) {
  const theme = useTheme();
  const [wrong, setWrong] = useState(0);
  // A new field after Esc or a wrong try: it starts empty.
  const [attempt, setAttempt] = useState(0);
  const why = reason === 'key'
    ? `Locked with Ctrl+L. It also locks by itself after ${minutesText(minutes)} without a key press (automatic logoff).`
    : `Locked after ${minutesText(minutes)} without a key press (automatic logoff).`;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={2} paddingY={1}>
      <Text bold>Console locked</Text>
      <Text wrap="wrap">{why} Nothing is shown or fetched while locked.</Text>
      <Text> </Text>
      <Text wrap="wrap">To open it, {connection.unlockPrompt}.</Text>
      <TextInput
        key={attempt}
        label={connection.mode === 'socket' ? 'Type unlock:' : 'API token:'}
        mask={connection.mode === 'remote'}
        onSubmit={(typed) => {
          if (connection.unlock(typed)) return onUnlocked();
          setWrong((n) => n + 1);
          setAttempt((n) => n + 1);
        }}
        onCancel={() => setAttempt((n) => n + 1)}
      />
      <Text color={theme.tone('dim')} wrap="truncate-end">Esc clears what you typed; Ctrl+C quits</Text>
      {wrong > 0 ? <Text color={theme.tone('bad')} wrap="truncate-end">✗ that is not it ({wrong} {wrong === 1 ? 'try' : 'tries'}) — {connection.unlockPrompt}</Text> : null}
    </Box>
  );
}
