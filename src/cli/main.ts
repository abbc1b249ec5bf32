#!/usr/bin/env node
// The `modelscout` command (package.json "bin"). Everything but process wiring is in run-cli.ts.
import { EXIT_CODES } from './exit-codes.js';
import { InterruptedError } from './interrupted-error.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
const stop = (signal: 'SIGINT' | 'SIGTERM') => {
  // A second signal while the command is still stopping ends the process at once.
  if (controller.signal.aborted) {
    process.exit(signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated);
  }
  controller.abort(new InterruptedError({ signal }));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// `modelscout search | head -1`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CODES.ok);
  throw error;
});

const code = await runCli({
  argv: process.argv.slice(2),
  stdout: process.stdout,
  stderr: process.stderr,
  environment: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// A library may keep an idle handle open (a keep-alive socket, a worker thread): the command is
// done, so do not wait for it. The timer does not keep the process alive by itself.
setTimeout(() => process.exit(code), 1000).unref();
