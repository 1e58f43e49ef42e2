/**
 * The small picture of a scan in its detail view, from the `thumbnail` artifact the
 * analysis makes. The console draws only what the daemon rendered; with no thumbnail yet
 * it says so.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { ApiError } from '../../src/api/client.js';
import { useApi } from '../hooks/use-api.js';
import { braille, decodeToRgba, halfBlocks, hex } from '../preview.js';
import { useTheme } from '../theme.js';

export interface ScanPreviewProps {
  uid: string;
  /** True when the scan lists a `thumbnail` artifact. */
  available: boolean;
  cols: number;
  rows: number;
}

export function ScanPreview({ uid, available, cols, rows }: ScanPreviewProps) {
  const theme = useTheme();
  const thumb = useApi(async (c) => {
    const png = await c.call<Buffer>('GET', `/scans/${encodeURIComponent(uid)}/artifacts/thumbnail`);
    if (!Buffer.isBuffer(png)) throw new Error('the thumbnail is not a PNG');
    return decodeToRgba(png);
  }, [uid], { enabled: available });
  const box = (children: ReactNode) => (
    <Box width={cols} height={rows} flexDirection="column" alignItems="center" justifyContent="center">{children}</Box>
  );
  const missing = !available || (thumb.failure instanceof ApiError && thumb.failure.status === 404);
  if (missing) return box(<Text color={theme.tone('dim')} wrap="wrap">preview not made yet</Text>);
  if (thumb.error) return box(<Text color={theme.tone('bad')} wrap="wrap">no preview: {thumb.error}</Text>);
  if (!thumb.data) return box(<Text color={theme.tone('dim')}>loading preview…</Text>);
  if (!theme.colour) {
    return box(braille(thumb.data, cols, rows).map((line, i) => <Text key={i}>{line}</Text>));
  }
  return box(halfBlocks(thumb.data, cols, rows).map((line, i) => (
    <Text key={i}>
      {line.map((c, x) => <Text key={x} color={hex(c.top)} backgroundColor={hex(c.bottom)}>▀</Text>)}
    </Text>
  )));
}
