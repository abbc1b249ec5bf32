// A download in a process of its own, for the cross-process test: `node --import tsx
// download-process.ts '<json options>'`. It prints `ready` once loaded, waits for a line on stdin
// (so two processes can be started together), downloads, and prints the result as JSON.
import { createInterface } from 'node:readline';
import { createDownloader } from '../create-downloader.js';

interface ProcessOptions {
  readonly hubUrl: string;
  readonly cacheDirectory: string;
  readonly modelId: string;
  readonly dtype?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ProcessOptions;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
try {
  const downloader = createDownloader({ hubUrl: options.hubUrl, cacheDirectory: options.cacheDirectory });
  const result = await downloader.download(options.modelId, options.dtype ? { dtype: options.dtype } : {});
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
