import { niceLinearDomain } from './axis-ticks.js';
import { escapeHtml, truncateText } from './escape-html.js';
import { formatInteger, formatQuality } from './format-values.js';
import type { CurvePoint, LearningCurves } from './learning-curves.js';
import { PLOT_COLORS, SERIES_COLORS } from './plot-colors.js';
import { linearScale, type Scale } from './scale.js';
import { type PlotArea, renderAxes, svgNumber, svgStart } from './svg-axes.js';

const WIDTH = 600;
const HEIGHT = 320;
const AREA: PlotArea = { left: 66, top: 16, right: WIDTH - 24, bottom: HEIGHT - 54 };

/** The color of the `index`-th series; the others' series is grey. @internal */
export function seriesColor(index: number, isOthers: boolean): string {
  return isOthers ? PLOT_COLORS.otherModelsLine : SERIES_COLORS[index % SERIES_COLORS.length]!;
}

function polyline(points: readonly CurvePoint[], x: Scale, y: Scale): string {
  return points.map((point) => `${svgNumber(x.map(point.step))},${svgNumber(y.map(point.value))}`).join(' ');
}

/**
 * A dot for a curve of a single point (one request), which a polyline does not draw; nothing for
 * longer curves.
 */
function singlePoint(points: readonly CurvePoint[], x: Scale, y: Scale, role: string, color: string): string {
  if (points.length !== 1) return '';
  const [point] = points as [CurvePoint];
  return (
    `<circle data-role="${role}" cx="${svgNumber(x.map(point.step))}" cy="${svgNumber(y.map(point.value))}" ` +
    `r="4" fill="${color}"/>`
  );
}

/** The step axis: from the first to the last observation's step (widened when they are equal). */
function stepScale(curves: LearningCurves): Scale {
  const steps = curves.series.flatMap((series) => series.share.map((point) => point.step));
  const first = Math.min(...steps);
  const last = Math.max(...steps);
  return linearScale(first === last ? niceLinearDomain(first, last, 6) : [first, last], [
    AREA.left,
    AREA.right,
  ]);
}

function sharePanel(curves: LearningCurves, x: Scale): string {
  const y = linearScale([0, 1], [AREA.bottom, AREA.top]);
  const lines = curves.series.map((series, index) => {
    const color = seriesColor(index, series.others);
    return (
      `<polyline data-role="share-line" points="${polyline(series.share, x, y)}" fill="none" ` +
      `stroke="${color}" stroke-width="2.5" stroke-linejoin="round">` +
      `<title>${escapeHtml(`${series.label}: ${formatInteger(series.picks)} of ${formatInteger(curves.requests)} requests`)}</title></polyline>` +
      singlePoint(series.share, x, y, 'share-point', color)
    );
  });
  return (
    svgStart('learning-share', WIDTH, HEIGHT, 'Cumulative share of requests served per model') +
    renderAxes({
      area: AREA,
      background: PLOT_COLORS.learningShareBackground,
      x,
      xTicks: x.ticks(6),
      xLabel: 'request',
      y,
      yTicks: y.ticks(5),
      yLabel: 'share of requests so far',
    }) +
    `<g class="lines">${lines.reverse().join('')}</g></svg>`
  );
}

function rewardPanel(curves: LearningCurves, x: Scale): string {
  const values = curves.meanReward.map((point) => point.value);
  if (curves.best !== undefined) values.push(curves.best.meanReward);
  const minimum = Math.min(...values);
  const maximum = Math.max(...values);
  // Rewards are qualities in [0, 1]: the axis zooms on the values but stays within that range.
  const [low, high] = niceLinearDomain(minimum, maximum, 5);
  const domain: [number, number] =
    minimum >= 0 && maximum <= 1 ? [Math.max(0, low), Math.min(1, high)] : [low, high];
  const y = linearScale(domain, [AREA.bottom, AREA.top]);
  const parts = [
    svgStart('learning-reward', WIDTH, HEIGHT, 'Running mean reward against the best model'),
    renderAxes({
      area: AREA,
      background: PLOT_COLORS.learningRewardBackground,
      x,
      xTicks: x.ticks(6),
      xLabel: 'request',
      y,
      yTicks: y.ticks(5),
      yLabel: 'mean reward so far',
    }),
  ];
  if (curves.best !== undefined) {
    const level = svgNumber(y.map(curves.best.meanReward));
    parts.push(
      `<path data-role="best-reward-line" d="M${AREA.left} ${level}H${AREA.right}" stroke="${PLOT_COLORS.bestRewardLine}" ` +
        `stroke-width="1.5" stroke-dasharray="6 4"><title>${escapeHtml(
          `${curves.best.modelId}: mean reward ${formatQuality(curves.best.meanReward)}`,
        )}</title></path>`,
    );
  }
  if (curves.meanReward.length > 0) {
    parts.push(
      `<polyline data-role="mean-reward-line" points="${polyline(curves.meanReward, x, y)}" fill="none" ` +
        `stroke="${PLOT_COLORS.meanRewardLine}" stroke-width="2.5" stroke-linejoin="round"/>` +
        singlePoint(curves.meanReward, x, y, 'mean-reward-point', PLOT_COLORS.meanRewardLine),
    );
  }
  parts.push('</svg>');
  return parts.join('');
}

function legend(curves: LearningCurves): string {
  const entries = curves.series.map((series, index) => {
    const mean = series.meanReward === undefined ? '' : `, mean reward ${formatQuality(series.meanReward)}`;
    return (
      `<li title="${escapeHtml(series.modelIds.join(', '))}"><span class="swatch" style="background:${seriesColor(index, series.others)}"></span>` +
      `${escapeHtml(truncateText(series.label, 48))} <span class="muted">(${formatInteger(series.picks)} requests${mean})</span></li>`
    );
  });
  if (curves.meanReward.length > 0) {
    entries.push(
      `<li><span class="swatch" style="background:${PLOT_COLORS.meanRewardLine}"></span>mean reward of every request so far</li>`,
    );
  }
  if (curves.best !== undefined) {
    entries.push(
      `<li><span class="swatch dashed" style="border-color:${PLOT_COLORS.bestRewardLine}"></span>` +
        `mean reward of the best model (${escapeHtml(truncateText(curves.best.modelId, 48))})</li>`,
    );
  }
  return `<ul class="legend">${entries.join('')}</ul>`;
}

/**
 * The selector's learning curves: the cumulative share of requests each model served (a selector
 * that learns converges on the best), and the running mean reward against the best model's mean
 * reward (the gap, summed, is the regret) when any outcome had a reward. A curve of one request
 * is a dot. The legend lists at most the series of `computeLearningCurves`; the others share a
 * grey line. Empty without observations. @internal
 */
export function renderLearningCurvePlots(curves: LearningCurves): string {
  if (curves.requests === 0) return '';
  const x = stepScale(curves);
  const regret =
    curves.estimatedRegret === undefined
      ? ''
      : ` Estimated regret over ${formatInteger(curves.requests)} requests: ${formatQuality(curves.estimatedRegret)} ` +
        '(the best model’s mean reward minus the serving model’s, summed over requests).';
  const rewarded = curves.meanReward.length > 0;
  return (
    '<div class="plots">' +
    `<figure class="plot">${sharePanel(curves, x)}<figcaption>Share of the requests served by each model so far.</figcaption></figure>` +
    (rewarded
      ? `<figure class="plot">${rewardPanel(curves, x)}<figcaption>Mean reward of the requests so far (purple) against the best model’s mean reward (dashed).${escapeHtml(regret)}</figcaption></figure>`
      : '') +
    `</div>${legend(curves)}` +
    (rewarded
      ? ''
      : '<p class="muted">No rewards were recorded (the outcomes had only latency or cost), so there is no reward curve and no regret.</p>')
  );
}
