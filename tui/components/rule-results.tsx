/** What a filename rule makes of example names: patient, jaw, date — or the warnings. */
import { Box, Text } from 'ink';
import { fit } from '../format.js';
import { useTheme } from '../theme.js';

export interface RuleResult {
  name: string;
  identity: {
    patient: { lastName?: string; firstName?: string; birthDate?: string; externalId?: { system: string; value: string } } | null;
    jaw: string;
    capturedAt: string | null;
    scanner: string | null;
  };
  warnings: string[];
}

/** "Smith, John · upper · 2026-11-20". */
export function identityText(r: RuleResult): string {
  const p = r.identity.patient;
  const who = p ? (p.externalId ? `${p.externalId.system}:${p.externalId.value}` : [p.lastName, p.firstName].filter(Boolean).join(', ') || '?') : 'no patient';
  return [who + (p?.birthDate ? ` (${p.birthDate})` : ''), r.identity.jaw, r.identity.capturedAt?.slice(0, 10) ?? 'no date', r.identity.scanner].filter(Boolean).join(' · ');
}

export function RuleResults({ rule, results, width, height }: { rule: string; results: RuleResult[]; width: number; height: number }) {
  const theme = useTheme();
  const nameWidth = Math.min(36, Math.max(12, Math.floor(width * 0.45)));
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end"><Text bold>Rule</Text> {rule}: what it reads from each name</Text>
      {results.slice(0, height - 1).map((r, i) => (
        <Text key={i} wrap="truncate-end">
          {fit(r.name, nameWidth, true)} → {r.identity.patient ? <Text color={theme.tone('ok')}>{identityText(r)}</Text> : <Text color={theme.tone('warn')}>{identityText(r)}</Text>}
          {r.warnings.length ? <Text color={theme.tone('warn')}> ! {r.warnings.join('; ')}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
