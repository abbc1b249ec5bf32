import { niceLinearDomain, niceLogDomain } from './axis-ticks.js';
import { escapeHtml, truncateText } from './escape-html.js';
import { formatMilliseconds, formatQualityInterval } from './format-values.js';
import { PLOT_COLORS } from './plot-colors.js';
import type { LatencyAxis, LatencyPercentile } from './report-input.js';
import type { ReportRow } from './report-rows.js';
import { linearScale, logScale, type Scale } from './scale.js';
import { type PlotArea, renderAxes, svgNumber, svgStart } from './svg-axes.js';

/** What {@link renderQualityLatencyPlot} needs besides the rows. @internal */
export interface QualityLatencyPlotOptions {
  readonly percentile: LatencyPercentile;
  readonly latencyAxis: LatencyAxis;
  readonly logScaleRatio: number;
  readonly maxPointLabels: number;
  /** The y axis's label: the quality metric(s). */
  readonly qualityLabel: string;
}

const WIDTH = 600;
const HEIGHT = 420;
const AREA: PlotArea = { left: 66, top: 40, right: WIDTH - 24, bottom: HEIGHT - 54 };
const LABEL_LENGTH = 30;
const LABEL_HEIGHT = 12;
/** Approximate width of one character of an 11 px label, for placing labels. */
const CHARACTER_WIDTH = 6.2;

/** Whether the latency axis is logarithmic for `latencies` (all > 0). @internal */
export function usesLogLatencyAxis(latencies: readonly number[], axis: LatencyAxis, ratio: number): boolean {
  if (axis !== 'auto') return axis === 'log';
  if (latencies.length < 2) return false;
  return Math.max(...latencies) >= ratio * Math.min(...latencies);
}

function latencyScale(latencies: readonly number[], log: boolean): Scale {
  const minimum = Math.min(...latencies);
  const maximum = Math.max(...latencies);
  if (log) return logScale(niceLogDomain(minimum / 1.2, maximum * 1.2), [AREA.left, AREA.right]);
  const pad = (maximum - minimum) * 0.08;
  const low = minimum - pad < 0 && minimum >= 0 ? 0 : minimum - pad;
  return linearScale(niceLinearDomain(low, maximum + pad, 6), [AREA.left, AREA.right]);
}

function qualityScale(qualities: readonly number[]): Scale {
  const minimum = Math.min(...qualities);
  const maximum = Math.max(...qualities);
  const pad = (maximum - minimum) * 0.1;
  return linearScale(niceLinearDomain(minimum - pad, maximum + pad, 5), [AREA.bottom, AREA.top]);
}

interface PlacedLabel {
  readonly left: number;
  readonly right: number;
  readonly y: number;
}

/** Labels next to their points, nudged down (a few times at most) to avoid overlapping earlier ones. */
function placeLabels(points: readonly { x: number; y: number; text: string }[]): string {
  const placed: PlacedLabel[] = [];
  const parts: string[] = [];
  for (const { x, y, text } of points) {
    const width = text.length * CHARACTER_WIDTH;
    const onLeft = x + 10 + width > AREA.right;
    const left = onLeft ? x - 10 - width : x + 10;
    let labelY = y + 4;
    for (let attempt = 0; attempt < 6; attempt++) {
      const clash = placed.some(
        (other) =>
          other.left < left + width && left < other.right && Math.abs(other.y - labelY) < LABEL_HEIGHT,
      );
      if (!clash) break;
      labelY += LABEL_HEIGHT;
    }
    placed.push({ left, right: left + width, y: labelY });
    parts.push(
      `<text x="${svgNumber(onLeft ? x - 10 : x + 10)}" y="${svgNumber(labelY)}"` +
        `${onLeft ? ' text-anchor="end"' : ''}>${escapeHtml(text)}</text>`,
    );
  }
  return `<g class="point-labels" font-size="11">${parts.join('')}</g>`;
}

function legend(): string {
  const y = 18;
  return (
    `<g class="legend" font-size="11">` +
    `<path d="M${AREA.left} ${y}h22" stroke="${PLOT_COLORS.paretoFrontLine}" stroke-width="3"/>` +
    `<text x="${AREA.left + 28}" y="${y + 4}">Pareto front</text>` +
    `<circle cx="${AREA.left + 120}" cy="${y}" r="5" fill="${PLOT_COLORS.paretoFrontPoint}"/>` +
    `<text x="${AREA.left + 130}" y="${y + 4}">on the front</text>` +
    `<circle cx="${AREA.left + 225}" cy="${y}" r="5" fill="${PLOT_COLORS.candidatePoint}"/>` +
    `<text x="${AREA.left + 235}" y="${y + 4}">dominated</text>` +
    '</g>'
  );
}

/**
 * The quality vs latency scatter plot: one point per measured candidate, the Pareto front's points
 * highlighted and joined by a step line (extended to the right edge: everything below it and to
 * its right is dominated), a log latency axis when the latencies span a wide range. Candidates
 * without a measured latency or quality are listed under the plot. Empty when no candidate can be
 * plotted. @internal
 */
export function renderQualityLatencyPlot(
  rows: readonly ReportRow[],
  options: QualityLatencyPlotOptions,
): string {
  const plotted = rows.filter((row) => row.measured && row.latency !== undefined);
  const missing = rows.filter((row) => !(row.measured && row.latency !== undefined));
  if (plotted.length === 0) return '';
  const latencies = plotted.map((row) => row.latency!);
  const log = usesLogLatencyAxis(latencies, options.latencyAxis, options.logScaleRatio);
  const x = latencyScale(latencies, log);
  const y = qualityScale(plotted.map((row) => row.quality!));
  const xLabel = `latency ${options.percentile} (ms${log ? ', log scale' : ''})`;
  const parts: string[] = [
    svgStart('quality-latency', WIDTH, HEIGHT, `${options.qualityLabel} against ${xLabel}`),
    legend(),
    renderAxes({
      area: AREA,
      background: PLOT_COLORS.qualityLatencyBackground,
      x,
      xTicks: x.ticks(6),
      xLabel,
      y,
      yTicks: y.ticks(5),
      yLabel: options.qualityLabel,
    }),
  ];

  const front = plotted.filter((row) => row.onFront).sort((a, b) => a.latency! - b.latency!);
  if (front.length > 0) {
    let path = `M${svgNumber(x.map(front[0]!.latency!))} ${svgNumber(y.map(front[0]!.quality!))}`;
    for (const row of front.slice(1)) {
      path += `H${svgNumber(x.map(row.latency!))}V${svgNumber(y.map(row.quality!))}`;
    }
    path += `H${svgNumber(AREA.right)}`;
    parts.push(
      `<path data-role="front-line" d="${path}" fill="none" stroke="${PLOT_COLORS.paretoFrontLine}" ` +
        'stroke-width="3" stroke-linejoin="miter"/>',
    );
  }

  const point = (row: ReportRow) => {
    const title =
      `${row.modelId}: ${formatQualityInterval(row.quality!, row.interval?.[0], row.interval?.[1])}, ` +
      `${options.percentile} ${formatMilliseconds(row.latency)}${row.onFront ? ' (Pareto front)' : ''}`;
    return (
      `<circle data-role="${row.onFront ? 'front-point' : 'candidate-point'}" ` +
      `cx="${svgNumber(x.map(row.latency!))}" cy="${svgNumber(y.map(row.quality!))}" r="${row.onFront ? 7 : 6}" ` +
      `fill="${row.onFront ? PLOT_COLORS.paretoFrontPoint : PLOT_COLORS.candidatePoint}" stroke="#ffffff" ` +
      `stroke-width="1.5"><title>${escapeHtml(title)}</title></circle>`
    );
  };
  // Dominated points first, so that the front's are drawn on top.
  parts.push(
    `<g class="points">${plotted
      .filter((row) => !row.onFront)
      .map(point)
      .join('')}` + `${front.map(point).join('')}</g>`,
  );

  const labeled =
    plotted.length <= options.maxPointLabels ? plotted : front.length <= options.maxPointLabels ? front : [];
  // Points drawn at the same pixel share one label.
  const byPosition = new Map<string, { x: number; y: number; ids: string[] }>();
  for (const row of labeled) {
    const px = x.map(row.latency!);
    const py = y.map(row.quality!);
    const key = `${Math.round(px)},${Math.round(py)}`;
    const entry = byPosition.get(key) ?? { x: px, y: py, ids: [] };
    entry.ids.push(row.modelId);
    byPosition.set(key, entry);
  }
  if (byPosition.size > 0) {
    const labels = [...byPosition.values()]
      .sort((a, b) => a.y - b.y || a.x - b.x)
      .map(({ x: px, y: py, ids }) => ({
        x: px,
        y: py,
        text: truncateText(ids.map((id) => truncateText(id, LABEL_LENGTH)).join(', '), LABEL_LENGTH * 2),
      }));
    parts.push(placeLabels(labels));
  }
  parts.push('</svg>');

  const notes: string[] = [];
  if (plotted.length > options.maxPointLabels) {
    notes.push(
      labeled.length > 0
        ? `${plotted.length} candidates: only the Pareto front is labeled; hover a point for its model.`
        : `${plotted.length} candidates: hover a point for its model.`,
    );
  }
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((row) => escapeHtml(truncateText(row.modelId, 60)));
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    notes.push(`Not plotted (no measured latency or quality): ${names.join(', ')}${more}.`);
  }
  const caption =
    `Quality against latency (${escapeHtml(options.percentile)}). The Pareto front (red points, orange step line) ` +
    'holds the candidates that no other beats on both quality and latency; everything below and to the right of ' +
    `the line is dominated.${log ? ' The latency axis is logarithmic.' : ''}`;
  return (
    `<figure class="plot">${parts.join('')}<figcaption>${caption}` +
    `${notes.map((note) => `<span class="note">${note}</span>`).join('')}</figcaption></figure>`
  );
}
