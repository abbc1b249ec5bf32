/**
 * The colors of the report's plot elements. Each is used by one kind of element only, so that a
 * screenshot of the report can be checked for them (the headless Chromium test counts their
 * pixels); the plot backgrounds are distinct light tints that locate each plot on the page.
 */
export const PLOT_COLORS = Object.freeze({
  /** Quality vs latency: the Pareto front's step line (orange). */
  paretoFrontLine: '#ff7f00',
  /** Quality vs latency: the points on the Pareto front (red). */
  paretoFrontPoint: '#e31a1c',
  /** Quality vs latency: the dominated points (blue). */
  candidatePoint: '#1f78b4',
  /** Quality with intervals: the interval bars (green). */
  intervalBar: '#33a02c',
  /** Quality with intervals: the marker at the measured value (near black). */
  estimateMarker: '#1b1b1b',
  /** Learning curves: the running mean reward of every request (purple). */
  meanRewardLine: '#6a3d9a',
  /** Learning curves: the best model's mean reward, for reference (dashed grey). */
  bestRewardLine: '#8c8c8c',
  /** Learning curves: the models beyond the legend's entries, together (light grey). */
  otherModelsLine: '#b3b3b3',
  /** Grid lines of every plot. */
  gridLine: '#e2e2e2',
  /** Axes and tick marks. */
  axis: '#555555',
  /** Background of the quality–latency plot's area. */
  qualityLatencyBackground: '#fbfaf3',
  /** Background of the quality-with-intervals plot's area. */
  qualityIntervalBackground: '#f3f8fb',
  /** Background of the share-of-picks learning curve's area. */
  learningShareBackground: '#f8f3fb',
  /** Background of the mean-reward learning curve's area. */
  learningRewardBackground: '#f3fbf5',
});

/** Colors of the per-model lines of the learning curves, in order (none is in {@link PLOT_COLORS}). */
export const SERIES_COLORS: readonly string[] = Object.freeze([
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#17becf',
]);
