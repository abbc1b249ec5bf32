import { escapeHtml } from './escape-html.js';
import { formatInteger, formatTicks } from './format-values.js';
import { PLOT_COLORS } from './plot-colors.js';
import type { Scale } from './scale.js';

/** The rectangle, in pixels, where a plot draws its data. @internal */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A pixel coordinate for SVG: rounded to 0.01 px, `-0` as `0`. @internal */
export function svgNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/** Tick labels of `scale`: shared decimals on a linear axis, each tick as short as it can be on a log axis. @internal */
export function tickLabels(scale: Scale, ticks: readonly number[]): string[] {
  if (scale.kind === 'linear') return formatTicks(ticks);
  return ticks.map((tick) =>
    tick >= 10_000 ? formatInteger(tick) : String(Number.parseFloat(tick.toPrecision(6))),
  );
}

/**
 * An inline `<svg>` start tag (HTML needs no namespace, so the page holds no URL): fixed size,
 * scalable down with the page, labeled for assistive technology. @internal
 */
export function svgStart(plot: string, width: number, height: number, label: string): string {
  return (
    `<svg data-plot="${escapeHtml(plot)}" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(label)}">`
  );
}

/** What {@link renderAxes} draws. @internal */
export interface AxesOptions {
  readonly area: PlotArea;
  /** Fill of the plot area (each plot has its own; see `PLOT_COLORS`). */
  readonly background: string;
  readonly x: Scale;
  readonly xTicks: readonly number[];
  readonly xLabel: string;
  /** Absent for a categorical y axis (rows labeled by the plot itself). */
  readonly y?: Scale;
  readonly yTicks?: readonly number[];
  readonly yLabel?: string;
}

/** The plot area's background, grid lines, axes, tick marks, tick labels and axis labels. @internal */
export function renderAxes({
  area,
  background,
  x,
  xTicks,
  xLabel,
  y,
  yTicks = [],
  yLabel,
}: AxesOptions): string {
  const { left, top, right, bottom } = area;
  const parts: string[] = [
    `<rect data-role="plot-area" x="${svgNumber(left)}" y="${svgNumber(top)}" width="${svgNumber(right - left)}" ` +
      `height="${svgNumber(bottom - top)}" fill="${background}"/>`,
  ];
  const grid: string[] = [];
  const labels: string[] = [];
  const xText = tickLabels(x, xTicks);
  xTicks.forEach((tick, index) => {
    const position = svgNumber(x.map(tick));
    grid.push(`M${position} ${svgNumber(top)}V${svgNumber(bottom)}`);
    labels.push(
      `<line x1="${position}" x2="${position}" y1="${svgNumber(bottom)}" y2="${svgNumber(bottom + 5)}"/>` +
        `<text x="${position}" y="${svgNumber(bottom + 18)}" text-anchor="middle">${escapeHtml(xText[index]!)}</text>`,
    );
  });
  if (y !== undefined) {
    const yText = tickLabels(y, yTicks);
    yTicks.forEach((tick, index) => {
      const position = svgNumber(y.map(tick));
      grid.push(`M${svgNumber(left)} ${position}H${svgNumber(right)}`);
      labels.push(
        `<line x1="${svgNumber(left - 5)}" x2="${svgNumber(left)}" y1="${position}" y2="${position}"/>` +
          `<text x="${svgNumber(left - 8)}" y="${position}" dy="0.32em" text-anchor="end">${escapeHtml(yText[index]!)}</text>`,
      );
    });
  }
  if (grid.length > 0) {
    parts.push(`<path d="${grid.join('')}" stroke="${PLOT_COLORS.gridLine}" stroke-width="1" fill="none"/>`);
  }
  parts.push(
    `<g class="axis" stroke="${PLOT_COLORS.axis}" fill="${PLOT_COLORS.axis}" font-size="11">`,
    `<path d="M${svgNumber(left)} ${svgNumber(top)}V${svgNumber(bottom)}H${svgNumber(right)}" fill="none"/>`,
    labels.join(''),
    '</g>',
    `<text class="axis-label" x="${svgNumber((left + right) / 2)}" y="${svgNumber(bottom + 38)}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
  );
  if (yLabel !== undefined) {
    const middle = svgNumber((top + bottom) / 2);
    parts.push(
      `<text class="axis-label" transform="translate(${svgNumber(left - 50)} ${middle}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>`,
    );
  }
  return parts.join('');
}
