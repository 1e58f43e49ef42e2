/**
 * The idle lock: nothing of the daemon's data stays on screen. Any key shows the prompt;
 * over the socket the word 'unlock' opens it, remotely only the token again.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import { TextInput } from '../components/text-input.js';
import { useOwnedInput } from '../hooks/use-keymap.js';
import type { Connection } from '../connection.js';
import { minutes as minutesText } from '../format.js';
import { useTheme } from '../theme.js';

export function LockScreen({ connection, minutes, onUnlocked, width, height }: { connection: Connection; minutes: number; onUnlocked(): void; width: number; height: number }) {
  const theme = useTheme();
  const [asking, setAsking] = useState(false);
  const [wrong, setWrong] = useState(0);
  useOwnedInput(() => setAsking(true), !asking);
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={2} paddingY={1}>
      <Text bold>Console locked</Text>
      <Text wrap="wrap">Locked after {minutesText(minutes)} without a key press (automatic logoff). Nothing is shown or fetched while locked.</Text>
      <Text> </Text>
      {asking ? (
        <TextInput
          label={connection.mode === 'socket' ? 'Type unlock:' : 'API token:'}
          mask={connection.mode === 'remote'}
          onSubmit={(typed) => {
            if (connection.unlock(typed)) onUnlocked();
            else setWrong((n) => n + 1);
          }}
          onCancel={() => setAsking(false)}
        />
      ) : (
        <Text>Press any key to unlock.</Text>
      )}
      {asking ? <Text color={theme.tone('dim')} wrap="truncate-end">{connection.unlockPrompt}; Esc to go back; Ctrl+C quits</Text> : null}
      {wrong > 0 ? <Text color={theme.tone('bad')} wrap="truncate-end">✗ that is not it ({wrong} {wrong === 1 ? 'try' : 'tries'}) — {connection.unlockPrompt}</Text> : null}
    </Box>
  );
}
