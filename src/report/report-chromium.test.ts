// Renders reports in headless Chromium (Debian's `chromium`) and checks the screenshots: the
// plots are drawn where they should be, with the expected number of points and bars, a report
// without data draws none of them, and the page makes no network request (Chromium's NetLog).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LearningObservation } from './learning-curves.js';
import { paretoFront } from './pareto-front.js';
import { PLOT_COLORS, SERIES_COLORS } from './plot-colors.js';
import { renderReport } from './render-report.js';
import type { ReportScore } from './report-input.js';
import {
  CHROMIUM_INSTALL_HINT,
  findChromium,
  pageNetworkRequests,
  screenshotPage,
} from './testing/chromium.js';
import {
  boundingBox,
  colorMask,
  componentSizes,
  components,
  countPixels,
  horizontalBands,
  type PixelBox,
} from './testing/pixel-analysis.js';
import { decodePng, type RgbaImage } from './testing/png-image.js';

interface Fixture {
  readonly scores: ReportScore[];
  readonly learningCurve: LearningObservation[];
}

interface RenderedPage {
  readonly image: RgbaImage;
  readonly requests: string[];
}

const WIDTH = 1280;
const HEIGHT = 2000;
let directory: string | undefined;

interface RenderedPages {
  readonly fixture: Fixture;
  /** The real evaluation with its learning curve. */
  readonly full: RenderedPage;
  /** A report without scores. */
  readonly empty: RenderedPage;
  /** A page that does fetch something: proves the NetLog check sees page requests. */
  readonly control: RenderedPage;
}

let rendered: RenderedPages | undefined;
let renderError: unknown;

/** The pages rendered once for every test; each test fails with the reason when they could not be. */
function pages(): RenderedPages {
  if (rendered === undefined) throw renderError;
  return rendered;
}

async function render(
  name: string,
  html: string,
  chromium: string,
  directory: string,
): Promise<RenderedPage> {
  const htmlPath = join(directory, `${name}.html`);
  const pngPath = join(directory, `${name}.png`);
  const netLogPath = join(directory, `${name}.netlog.json`);
  await writeFile(htmlPath, html);
  await screenshotPage({
    chromium,
    htmlPath,
    pngPath,
    netLogPath,
    userDataDirectory: await mkdtemp(join(directory, `${name}-profile-`)),
    width: WIDTH,
    height: HEIGHT,
  });
  return { image: decodePng(await readFile(pngPath)), requests: await pageNetworkRequests(netLogPath) };
}

/** The box of a plot area, found by its background tint (see PLOT_COLORS). */
function plotArea(image: RgbaImage, background: string): PixelBox | undefined {
  return boundingBox(colorMask(image, background), image.width);
}

async function renderPages(): Promise<RenderedPages> {
  const chromium = await findChromium();
  if (chromium === undefined) {
    throw new Error(
      `Chromium is needed to test the HTML report but none was found (chromium on the PATH, or ` +
        `$MODELSCOUT_CHROMIUM). Install it: ${CHROMIUM_INSTALL_HINT}`,
    );
  }
  directory = await mkdtemp(join(tmpdir(), 'modelscout-report-chromium-'));
  const fixture: Fixture = JSON.parse(
    await readFile(new URL('./fixtures/sst2-evaluation.json', import.meta.url), 'utf8'),
  );
  const generatedAt = Date.parse('2026-01-01T00:00:00Z');
  const report = renderReport({ scores: fixture.scores, learningCurve: fixture.learningCurve, generatedAt });
  const nothing = renderReport({ title: 'Nothing measured', scores: [], generatedAt });
  const fetching =
    '<!DOCTYPE html><html><body><img src="http://report-test.invalid/pixel.png" alt=""></body></html>';
  // The three pages render in parallel, each in its own browser and profile.
  const [full, empty, control] = await Promise.all([
    render('full', report, chromium, directory),
    render('empty', nothing, chromium, directory),
    render('control', fetching, chromium, directory),
  ]);
  return { fixture, full, empty, control };
}

beforeAll(async () => {
  try {
    rendered = await renderPages();
  } catch (error) {
    renderError = error;
  }
}, 20_000);

afterAll(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('the report in headless Chromium', () => {
  test('draws the four plot areas at their intended size', () => {
    const { full } = pages();
    const expected: [string, number, number | undefined][] = [
      [PLOT_COLORS.qualityLatencyBackground, 510, 326],
      [PLOT_COLORS.qualityIntervalBackground, 326, 3 * 26],
      [PLOT_COLORS.learningShareBackground, 510, 250],
      [PLOT_COLORS.learningRewardBackground, 510, 250],
    ];
    for (const [background, width, height] of expected) {
      const box = plotArea(full.image, background);
      expect(box, background).toBeDefined();
      expect(box!.right - box!.left + 1, background).toBeCloseTo(width, -1);
      if (height !== undefined) expect(box!.bottom - box!.top + 1, background).toBeCloseTo(height, -1);
    }
  });

  test('the quality–latency plot shows the Pareto front line and its points', () => {
    const { full, fixture } = pages();
    const box = plotArea(full.image, PLOT_COLORS.qualityLatencyBackground)!;
    const points = fixture.scores.map((score) => ({
      quality: score.quality.value,
      latency: score.latencyMs!.p50!,
    }));
    const front = paretoFront(points);
    expect(front).toHaveLength(2);
    const { width } = full.image;
    const frontPoints = componentSizes(
      colorMask(full.image, PLOT_COLORS.paretoFrontPoint, 0, box),
      width,
      40,
    );
    const dominatedPoints = componentSizes(
      colorMask(full.image, PLOT_COLORS.candidatePoint, 0, box),
      width,
      40,
    );
    expect(frontPoints).toHaveLength(front.length);
    expect(dominatedPoints).toHaveLength(points.length - front.length);
    expect(countPixels(colorMask(full.image, PLOT_COLORS.paretoFrontLine, 0, box))).toBeGreaterThan(300);
  });

  test('the points are where their figures put them: the front rises to the right, the rest below it', () => {
    const { full } = pages();
    const box = plotArea(full.image, PLOT_COLORS.qualityLatencyBackground)!;
    const { width } = full.image;
    const front = components(colorMask(full.image, PLOT_COLORS.paretoFrontPoint, 0, box), width, 40).sort(
      (a, b) => a.x - b.x,
    );
    const dominated = components(colorMask(full.image, PLOT_COLORS.candidatePoint, 0, box), width, 40);
    // Along the front, latency (x) grows with quality (up the page: smaller y).
    for (let index = 1; index < front.length; index++) {
      expect(front[index]!.x).toBeGreaterThan(front[index - 1]!.x + 5);
      expect(front[index]!.y).toBeLessThan(front[index - 1]!.y - 5);
    }
    // Every dominated point has a front point at least as far left (faster) and as high (better).
    for (const point of dominated) {
      expect(
        front.some((other) => other.x <= point.x + 1 && other.y <= point.y + 1),
        `dominated point at ${point.x}, ${point.y}`,
      ).toBe(true);
    }
  });

  test('the interval plot shows one bar and one marker per candidate', () => {
    const { full, fixture } = pages();
    const box = plotArea(full.image, PLOT_COLORS.qualityIntervalBackground)!;
    const { width } = full.image;
    const bars = colorMask(full.image, PLOT_COLORS.intervalBar, 0, box);
    expect(horizontalBands(bars, width, 10)).toBe(fixture.scores.length);
    expect(countPixels(bars)).toBeGreaterThan(fixture.scores.length * 200);
    const markers = componentSizes(colorMask(full.image, PLOT_COLORS.estimateMarker, 0, box), width, 20);
    expect(markers).toHaveLength(fixture.scores.length);
  });

  test('the learning curves show a line per model and the mean reward', () => {
    const { full, fixture } = pages();
    const share = plotArea(full.image, PLOT_COLORS.learningShareBackground)!;
    const models = new Set(fixture.learningCurve.map((observation) => observation.modelId)).size;
    for (const color of SERIES_COLORS.slice(0, models)) {
      expect(countPixels(colorMask(full.image, color, 0, share)), color).toBeGreaterThan(100);
    }
    const reward = plotArea(full.image, PLOT_COLORS.learningRewardBackground)!;
    expect(countPixels(colorMask(full.image, PLOT_COLORS.meanRewardLine, 0, reward))).toBeGreaterThan(300);
  });

  test('a report without scores draws no plot, but its text', () => {
    const { full, empty } = pages();
    const plotColors = [
      PLOT_COLORS.qualityLatencyBackground,
      PLOT_COLORS.qualityIntervalBackground,
      PLOT_COLORS.learningShareBackground,
      PLOT_COLORS.learningRewardBackground,
      PLOT_COLORS.paretoFrontLine,
      PLOT_COLORS.paretoFrontPoint,
      PLOT_COLORS.candidatePoint,
      PLOT_COLORS.intervalBar,
      PLOT_COLORS.meanRewardLine,
    ];
    for (const color of plotColors) expect(countPixels(colorMask(empty.image, color)), color).toBe(0);
    expect(countPixels(colorMask(empty.image, '#ffffff'))).toBeLessThan(WIDTH * HEIGHT);
    expect(countPixels(colorMask(full.image, PLOT_COLORS.intervalBar))).toBeGreaterThan(0);
  });

  test('makes no network request (and the check sees a page that does)', () => {
    const { full, empty, control } = pages();
    expect(full.requests).toEqual([]);
    expect(empty.requests).toEqual([]);
    expect(control.requests).toEqual(['http://report-test.invalid/pixel.png']);
  });
});
