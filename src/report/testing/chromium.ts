import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How to install what {@link findChromium} looks for (Debian 12). @internal */
export const CHROMIUM_INSTALL_HINT = 'apt-get install -y --no-install-recommends chromium';

/**
 * The Chromium executable: `$MODELSCOUT_CHROMIUM` when set, else `chromium` (Debian's package)
 * or `chromium-browser` on the `PATH`; `undefined` when there is none. @internal
 */
export async function findChromium(): Promise<string | undefined> {
  const override = process.env.MODELSCOUT_CHROMIUM;
  const candidates =
    override !== undefined && override !== ''
      ? [override]
      : (process.env.PATH ?? '/usr/bin')
          .split(delimiter)
          .filter((directory) => directory !== '')
          .flatMap((directory) => [join(directory, 'chromium'), join(directory, 'chromium-browser')]);
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there: try the next one.
    }
  }
  return undefined;
}

/** What {@link screenshotPage} renders and where it writes. @internal */
export interface ScreenshotRequest {
  readonly chromium: string;
  /** The HTML file to open (as a `file://` URL). */
  readonly htmlPath: string;
  /** Where the PNG goes. */
  readonly pngPath: string;
  /** Where Chromium writes its NetLog (every network request it makes, as JSON). */
  readonly netLogPath: string;
  /** A fresh, empty profile folder. */
  readonly userDataDirectory: string;
  /** @default 1280 */
  readonly width?: number;
  /** @default 2000 */
  readonly height?: number;
  /** Chromium is killed (its whole process group) after this long. @default 12_000 */
  readonly timeoutMs?: number;
}

/**
 * Opens `htmlPath` in headless Chromium and writes a screenshot of the window: no GPU, no
 * sandbox (root in CI), a fresh profile, no extensions, every host name resolving to nothing
 * (`--host-resolver-rules`), and a NetLog of the requests made. Resolves when Chromium exited
 * successfully; rejects with its exit code and the end of its standard error otherwise. @internal
 */
export async function screenshotPage(request: ScreenshotRequest): Promise<void> {
  const { width = 1280, height = 2000, timeoutMs = 12_000 } = request;
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--no-default-browser-check',
    '--hide-scrollbars',
    `--user-data-dir=${request.userDataDirectory}`,
    '--host-resolver-rules=MAP * ~NOTFOUND',
    `--log-net-log=${request.netLogPath}`,
    `--screenshot=${request.pngPath}`,
    `--window-size=${width},${height}`,
    pathToFileURL(request.htmlPath).href,
  ];
  const child = spawn(request.chromium, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let standardError = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    standardError = (standardError + chunk).slice(-4000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The browser starts helper processes in its own group: end the group it leads.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (timedOut) throw new Error(`chromium did not finish within ${timeoutMs} ms:\n${standardError}`);
  if (code !== 0) throw new Error(`chromium exited with code ${code}:\n${standardError}`);
}

/**
 * The requests a page made, from Chromium's NetLog: the URLs of the URL requests that are not
 * `file:`, `data:`, `about:` or `chrome:` and that the browser did not start for itself (its
 * own update and account checks have the initiator `'not an origin'`). @internal
 */
export async function pageNetworkRequests(netLogPath: string): Promise<string[]> {
  const log = JSON.parse(await readFile(netLogPath, 'utf8')) as {
    constants: { logEventTypes: Record<string, number> };
    events: { type: number; params?: { url?: unknown; initiator?: unknown } }[];
  };
  const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const urls = new Set<string>();
  for (const event of log.events) {
    const url = event.params?.url;
    if (event.type !== startJob || typeof url !== 'string') continue;
    if (/^(file|data|about|chrome):/i.test(url)) continue;
    if (event.params?.initiator === 'not an origin') continue;
    urls.add(url);
  }
  return [...urls];
}
