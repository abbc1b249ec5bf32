import { statSync } from 'node:fs';
import path from 'node:path';
import { createLocalHub } from '../../discovery/local-hub/create-local-hub.js';
import type { Command } from '../command.js';
import { EXIT_CODES } from '../exit-codes.js';
import { expectPositionals, integerOption, requiredOption } from '../option-values.js';
import { UsageError } from '../usage-error.js';

const NAME = 'hub serve';
/** The port `hub serve` listens on without `--port`. */
export const DEFAULT_HUB_PORT = 8080;

/** `modelscout hub serve`: the local Hugging Face-compatible hub, until SIGINT or SIGTERM. */
export const hubServeCommand: Command = {
  name: NAME,
  summary: 'serve a folder of models over the Hub API until stopped',
  usage: ['hub serve --root <dir> [--port <n>] [--host <address>] [options]'],
  description:
    'Serves a folder of models (org/name/ folders, or a Hugging Face cache) over the part of the Hugging Face ' +
    'Hub API that @huggingface/hub and transformers.js use, so that the same code that talks to ' +
    "huggingface.co works against it with no network: point --hub (or HF_ENDPOINT, or transformers.js's " +
    'env.remoteHost) at the URL it prints. It never serves a file outside the folder and has no ' +
    'authentication: keep it on 127.0.0.1 or a network you trust. It runs until SIGINT (Ctrl-C) or SIGTERM, ' +
    'then closes its connections and exits with 0.',
  options: [
    {
      name: 'root',
      type: 'string',
      path: true,
      valueName: '<dir>',
      description: 'the folder of models to serve',
    },
    {
      name: 'port',
      type: 'string',
      valueName: '<n>',
      description: `the port (default ${DEFAULT_HUB_PORT}; 0 picks a free one)`,
    },
    {
      name: 'host',
      type: 'string',
      valueName: '<address>',
      description: 'the interface to listen on (default 127.0.0.1)',
    },
  ],
  optionGroups: [],
  examples: [
    'hub serve --root ./models',
    'hub serve --root ~/.cache/huggingface/hub --port 0 --json',
    'hub serve --root /srv/models --host 0.0.0.0 --port 8080',
  ],
  async run({ commandLine, output, signal }) {
    expectPositionals(NAME, commandLine, {});
    const root = path.resolve(requiredOption(NAME, commandLine, 'root', '<dir>'));
    let isFolder = false;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder)
      throw new UsageError({
        command: NAME,
        message: `option '--root' must name a folder; '${root}' is not one`,
      });
    const port =
      integerOption(NAME, commandLine, 'port', { minimum: 0, maximum: 65_535 }) ?? DEFAULT_HUB_PORT;
    const host = commandLine.string('host') ?? '127.0.0.1';
    signal.throwIfAborted();
    const hub = await createLocalHub({ root, port, host });
    output.printJson({ url: hub.url, root, host });
    output.print(`Serving ${root} at ${hub.url}`);
    output.note(`Point --hub or HF_ENDPOINT at ${hub.url}. Stop with Ctrl-C.`);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await hub.close();
    output.note('Stopped.');
    return EXIT_CODES.ok;
  },
};
