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

/** Each state word the console colours, by its tone (a table: a switch over 30 words counted 29 branches). */
const TONES: Readonly<Partial<Record<Tone, readonly string[]>>> = {
  ok: ['ok', 'ready', 'watching', 'done', 'validated', 'analysed', 'valid', 'active'],
  warn: ['warn', 'polling', 'paused', 'queued', 'received', 'starting', 'expiring', 'degraded', 'low'],
  bad: ['fail', 'failed', 'error', 'rejected', 'stopping', 'broken', 'revoked', 'expired', 'corrupt', 'full'],
  info: ['running'],
};

const TONE_OF_WORD = new Map<string, Tone>(
  (Object.entries(TONES) as [Tone, readonly string[]][]).flatMap(([tone, words]) => words.map((w): [string, Tone] => [w, tone])),
);

/** The tone of a scan verdict or job/folder state word. */
export function toneOf(word: string | null | undefined): Tone | undefined {
  return word == null ? undefined : TONE_OF_WORD.get(word);
}
