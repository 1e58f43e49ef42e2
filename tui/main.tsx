/**
 * Start the console on the terminal: the alternate screen (so the shell's scrollback is
 * left as it was), Ink with incremental rendering (only changed lines are redrawn — no
 * flicker over slow SSH), and back to the shell on quit.
 */
import { render } from 'ink';
import { App, type AppProps } from './app.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';

/** Run until the user quits. */
export async function runConsole(props: AppProps, streams: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: NodeJS.WriteStream }): Promise<void> {
  streams.stdout.write(ENTER_ALT_SCREEN);
  const leave = () => streams.stdout.write(LEAVE_ALT_SCREEN);
  process.once('exit', leave);
  try {
    const instance = render(<App {...props} />, { ...streams, exitOnCtrlC: true, incrementalRendering: true, patchConsole: true });
    await instance.waitUntilExit();
  } finally {
    process.off('exit', leave);
    leave();
  }
}
