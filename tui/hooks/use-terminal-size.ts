/** The terminal's size, following resizes; a fixed size when given (tests, captures). */
import { useEffect, useState } from 'react';
import { useStdout } from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

/** The smallest terminal the console is laid out for. */
export const MIN_SIZE: Size = { columns: 80, rows: 24 };

export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  // One column is left free: a line that fills the last column leaves some terminals with a
  // pending wrap, Ink then miscounts the lines it must erase and a stale line stays on top.
  const read = (): Size => fixed ?? {
    columns: Math.max(MIN_SIZE.columns, stdout.columns || MIN_SIZE.columns) - 1,
    rows: Math.max(MIN_SIZE.rows, stdout.rows || MIN_SIZE.rows),
  };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout, fixed]);
  return size;
}
