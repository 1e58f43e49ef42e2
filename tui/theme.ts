/**
 * The console's colours, in one place so that `NO_COLOR` (https://no-color.org) turns all
 * of them off at once: every component asks `tone()` for a colour prop and gets
 * `undefined` when colours are off. Meaning never rides on colour alone — states are
 * also spelled out in words or marks, so a monochrome SSH session loses nothing.
 */
import { createContext, useContext } from 'react';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'dim' | 'accent';

const COLOURS: Record<Tone, string> = {
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  info: 'cyan',
  dim: 'gray',
  accent: 'blue',
};

export interface Theme {
  colour: boolean;
  /** The colour for a tone, or undefined when colours are off. */
  tone(t: Tone): string | undefined;
}

/** A theme with colours on or off. */
export function makeTheme(colour: boolean): Theme {
  return { colour, tone: (t) => (colour ? COLOURS[t] : undefined) };
}

/** Colours are off when NO_COLOR is set to anything non-empty, or TERM is dumb. */
export function colourWanted(env: NodeJS.ProcessEnv): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.TERM !== 'dumb';
}

export const ThemeContext = createContext<Theme>(makeTheme(false));

/** The theme of the running console. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The tone of a scan verdict or job/folder state word. */
export function toneOf(word: string | null | undefined): Tone | undefined {
  switch (word) {
    case 'ok': case 'ready': case 'watching': case 'done': case 'validated': case 'analysed': case 'valid': case 'active':
      return 'ok';
    case 'warn': case 'polling': case 'paused': case 'queued': case 'received': case 'starting': case 'expiring': case 'degraded': case 'low':
      return 'warn';
    case 'fail': case 'failed': case 'error': case 'rejected': case 'stopping': case 'broken': case 'revoked': case 'expired': case 'corrupt': case 'full':
      return 'bad';
    case 'running':
      return 'info';
    default:
      return undefined;
  }
}
