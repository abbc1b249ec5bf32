// `modelscout hub serve` as a process: it prints its URL, answers the Hub API over HTTP (to
// fetch and to the CLI's own --hub), and stops cleanly on SIGTERM and SIGINT.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuiltCli, REPOSITORY_ROOT } from './testing/built-cli.js';
import { runCli, startCli } from './testing/cli-process.js';

const ZOO = path.join(REPOSITORY_ROOT, 'examples', 'models');

beforeAll(async () => {
  await ensureBuiltCli();
}, BUILD_TIMEOUT_MS);

describe('hub serve', () => {
  test('serves the folder until SIGTERM, then exits with 0', async () => {
    const server = startCli(['hub', 'serve', '--root', ZOO, '--port', '0']);
    const [, url] = await server.waitForLine(/^Serving .* at (http:\/\/127\.0\.0\.1:\d+)$/m);
    const response = await fetch(`${url}/api/models`);
    expect(response.status).toBe(200);
    const models = (await response.json()) as { id: string }[];
    expect(models.map((model) => model.id).sort()).toContain('modelscout/sst2-bow-logreg');
    expect(models).toHaveLength(5);

    const search = await runCli(['search', 'sst2', '--hub', url!]);
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout.trimEnd().split('\n')).toHaveLength(4);

    server.child.kill('SIGTERM');
    const result = await server.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Stopped\.\n$/);
    await expect(fetch(`${url}/api/models`)).rejects.toThrow();
  });

  test('--json prints the URL as one document; SIGINT stops it too', async () => {
    const server = startCli(['hub', 'serve', '--root', ZOO, '--port', '0', '--json']);
    const [document] = await server.waitForLine(/^\{[\s\S]*\}\n/);
    const { url, root, host } = JSON.parse(document) as { url: string; root: string; host: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(root).toBe(ZOO);
    expect(host).toBe('127.0.0.1');
    expect((await fetch(`${url}/api/models/modelscout/agnews-bow`)).status).toBe(200);
    server.child.kill('SIGINT');
    const result = await server.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(document);
  });

  test('a root that is not a folder is a usage error; a port in use a runtime failure', async () => {
    const server = startCli(['hub', 'serve', '--root', ZOO, '--port', '0']);
    const [, port] = await server.waitForLine(/^Serving .* at http:\/\/127\.0\.0\.1:(\d+)$/m);
    const [missing, busy] = await Promise.all([
      runCli(['hub', 'serve', '--root', path.join(ZOO, 'no-such-folder')]),
      runCli(['hub', 'serve', '--root', ZOO, '--port', port!]),
    ]);
    server.child.kill('SIGTERM');
    await server.exited;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^modelscout: option '--root' must name a folder/);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/^modelscout: .*EADDRINUSE/);
  });
});
