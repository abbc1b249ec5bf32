import { niceLinearDomain } from './axis-ticks.js';
import { escapeHtml, truncateText } from './escape-html.js';
import { formatQualityInterval } from './format-values.js';
import { PLOT_COLORS } from './plot-colors.js';
import type { ReportRow } from './report-rows.js';
import { linearScale } from './scale.js';
import { type PlotArea, renderAxes, svgNumber, svgStart } from './svg-axes.js';

/** What {@link renderQualityIntervalPlot} needs besides the rows. @internal */
export interface QualityIntervalPlotOptions {
  readonly maxRows: number;
  /** The x axis's label: the quality metric(s). */
  readonly qualityLabel: string;
  /** The winner's model id, drawn in bold. */
  readonly winner: string | undefined;
}

const WIDTH = 600;
const LEFT = 250;
const TOP = 16;
const BOTTOM_MARGIN = 54;
const LABEL_LENGTH = 34;

/**
 * Quality with its interval, one row per measured candidate, best first: a bar from the
 * interval's lower to upper end and a marker at the value (a candidate without an interval has
 * only the marker). At most `maxRows` rows; a note says how many more the table lists. Rows get
 * thinner as they get more numerous. Empty when no candidate was measured. @internal
 */
export function renderQualityIntervalPlot(
  rows: readonly ReportRow[],
  options: QualityIntervalPlotOptions,
): string {
  const measured = rows.filter((row) => row.measured);
  if (measured.length === 0) return '';
  const shown = measured.slice(0, options.maxRows);
  const rowHeight = shown.length <= 12 ? 26 : shown.length <= 25 ? 18 : 13;
  const barHeight = rowHeight >= 18 ? 8 : 6;
  const height = TOP + shown.length * rowHeight + BOTTOM_MARGIN;
  const area: PlotArea = { left: LEFT, top: TOP, right: WIDTH - 24, bottom: TOP + shown.length * rowHeight };
  const values = shown.flatMap((row) => [row.quality!, ...(row.interval ?? [])]);
  const minimum = Math.min(...values);
  const maximum = Math.max(...values);
  const pad = (maximum - minimum) * 0.05;
  const x = linearScale(niceLinearDomain(minimum - pad, maximum + pad, 6), [area.left, area.right]);
  const parts: string[] = [
    svgStart('quality-intervals', WIDTH, height, `${options.qualityLabel} with intervals, best first`),
    renderAxes({
      area,
      background: PLOT_COLORS.qualityIntervalBackground,
      x,
      xTicks: x.ticks(6),
      xLabel: options.qualityLabel,
    }),
  ];
  const fontSize = rowHeight >= 18 ? 12 : 10;
  const rowParts = shown.map((row, index) => {
    const center = TOP + (index + 0.5) * rowHeight;
    const title = `${row.modelId}: ${formatQualityInterval(row.quality!, row.interval?.[0], row.interval?.[1])}`;
    const bold = row.modelId === options.winner ? ' font-weight="bold"' : '';
    let markup =
      `<g data-role="interval-row"><title>${escapeHtml(title)}</title>` +
      `<text x="${LEFT - 8}" y="${svgNumber(center)}" dy="0.32em" text-anchor="end" font-size="${fontSize}"${bold}>` +
      `${escapeHtml(truncateText(row.modelId, LABEL_LENGTH))}</text>`;
    if (row.interval !== undefined) {
      const [lower, upper] = row.interval;
      const start = x.map(Math.min(lower, upper));
      const end = x.map(Math.max(lower, upper));
      markup +=
        `<rect data-role="interval-bar" x="${svgNumber(start)}" y="${svgNumber(center - barHeight / 2)}" ` +
        `width="${svgNumber(Math.max(2, end - start))}" height="${barHeight}" fill="${PLOT_COLORS.intervalBar}"/>`;
    }
    markup +=
      `<circle data-role="estimate" cx="${svgNumber(x.map(row.quality!))}" cy="${svgNumber(center)}" ` +
      `r="${barHeight / 2 + 1}" fill="${PLOT_COLORS.estimateMarker}"/></g>`;
    return markup;
  });
  parts.push(`<g class="rows">${rowParts.join('')}</g></svg>`);
  const notes: string[] = [];
  if (measured.length > shown.length) {
    notes.push(`The ${shown.length} best of ${measured.length} candidates; the table lists all.`);
  }
  const withoutInterval = shown.filter((row) => row.interval === undefined).length;
  if (withoutInterval > 0) notes.push(`${withoutInterval} without an interval (marker only).`);
  const caption =
    'Quality with its confidence interval (green bar; the dark marker is the measured value), best first. ' +
    'Overlapping bars mean the data cannot tell those candidates apart.';
  return (
    `<figure class="plot">${parts.join('')}<figcaption>${caption}` +
    `${notes.map((note) => `<span class="note">${escapeHtml(note)}</span>`).join('')}</figcaption></figure>`
  );
}
