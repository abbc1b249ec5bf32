// Runs the built CLI in a child process, with pipes for stdout and stderr (so neither is a
// terminal), and waits for exits and output lines rather than for time to pass.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { CLI_ENTRY, REPOSITORY_ROOT } from './built-cli.js';

/** How a CLI run ended and what it printed. */
export interface CliResult {
  /** The exit status; `null` when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli} and {@link startCli}. */
export interface CliRunOptions {
  /** Variables added to the environment (which is cleared of HF_TOKEN, NO_COLOR, MODELSCOUT_DEBUG, HF_ENDPOINT). */
  readonly env?: Readonly<Record<string, string>>;
  /** The working folder. @default the repository's root */
  readonly cwd?: string;
  /** Kills the run after this long (a hung CLI fails its test instead of the suite). @default 60_000 */
  readonly timeoutMs?: number;
}

function environment(env: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const {
    HF_TOKEN: _token,
    NO_COLOR: _noColor,
    MODELSCOUT_DEBUG: _debug,
    HF_ENDPOINT: _endpoint,
    HF_HUB_OFFLINE: _offline,
    FORCE_COLOR: _forceColor,
    ...inherited
  } = process.env;
  return { ...inherited, ...env };
}

/** A CLI process that keeps running (`hub serve`, or a command to interrupt). */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves to the first line of stdout (or stderr) matching `pattern`; rejects if the process exits first. */
  waitForLine(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<CliResult>;
}

/** Starts `node dist/cli/main.js …args`. */
export function startCli(args: readonly string[], options: CliRunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd ?? REPOSITORY_ROOT,
    env: environment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  const output = { stdout: '', stderr: '' };
  const waiters: {
    pattern: RegExp;
    stream: 'stdout' | 'stderr';
    resolve: (match: RegExpMatchArray) => void;
  }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = output[waiter.stream].match(waiter.pattern);
      if (match !== null) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
    check();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
    check();
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timeout);
      resolve({ code, signal, stdout: output.stdout, stderr: output.stderr });
    });
  });
  return {
    child,
    exited,
    waitForLine(pattern, stream = 'stdout') {
      return new Promise((resolve, reject) => {
        const match = output[stream].match(pattern);
        if (match !== null) {
          resolve(match);
          return;
        }
        waiters.push({ pattern, stream, resolve });
        exited.then(
          (result) =>
            reject(
              new Error(
                `the CLI exited (${result.code ?? result.signal}) before printing ${pattern}:\n${result.stdout}\n${result.stderr}`,
              ),
            ),
          reject,
        );
      });
    },
  };
}

/** Runs `node dist/cli/main.js …args` to its end. */
export function runCli(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startCli(args, options).exited;
}

/** Whether `text` holds an ANSI escape sequence or a carriage return (what a terminal redraw writes). */
export function hasTerminalControls(text: string): boolean {
  return text.includes('\u001b') || text.includes('\r');
}
