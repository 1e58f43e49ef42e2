/**
 * Start the console on the terminal: the alternate screen (so the shell's scrollback is
 * left as it was), then Ink, and back to the shell on quit. Ink redraws only when a frame
 * differs, at most 30 times a second, each redraw in one write wrapped in synchronized
 * output where the terminal supports it — so no flicker. Bracketed paste is on while it runs. (Ink 6.8's incrementalRendering
 * left the first frame's top line behind in tmux; the full redraw does not.)
 */
import { render } from 'ink';
import { App, type AppProps } from './app.js';

// With bracketed paste on, the terminal marks pasted text, so a pasted token or path arrives
// whole and its line break never presses Enter (see KeyRouter.feed).
const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H\x1b[?2004h';
const LEAVE_ALT_SCREEN = '\x1b[?2004l\x1b[?1049l';

/** Run until the user quits. */
export async function runConsole(props: AppProps, streams: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<void> {
  streams.stdout.write(ENTER_ALT_SCREEN);
  const leave = () => streams.stdout.write(LEAVE_ALT_SCREEN);
  process.once('exit', leave);
  try {
    const instance = render(<App {...props} />, { ...streams, exitOnCtrlC: true, patchConsole: true });
    await instance.waitUntilExit();
  } finally {
    process.off('exit', leave);
    leave();
  }
}
