/**
 * The report's style sheet, inlined in its `<style>`: local system fonts only, no `url(…)` or
 * `@import`, so that the page makes no request. @internal
 */
export const REPORT_STYLES = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 16px 40px; background: #ffffff; color: #1d1d1f;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1248px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.description { margin: 0 0 12px; max-width: 80ch; }
.muted { color: #6b6b6b; font-size: 12px; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0 0; }
dl.summary dt { color: #6b6b6b; }
dl.summary dd { margin: 0; overflow-wrap: anywhere; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(600px, 1fr)); gap: 16px; align-items: start; }
figure.plot { margin: 0; }
figure.plot svg { display: block; max-width: 100%; height: auto; font-family: inherit; font-size: 12px; }
figure.plot svg text { fill: #333333; }
figure.plot svg .axis text { stroke: none; fill: #555555; }
figure.plot svg .axis-label { font-size: 12px; fill: #333333; }
figcaption { font-size: 12px; color: #4a4a4a; margin-top: 4px; max-width: 600px; }
figcaption .note { display: block; color: #6b6b6b; margin-top: 2px; }
ul.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12px; }
ul.legend li { display: flex; align-items: center; gap: 6px; max-width: 100%; }
.swatch { display: inline-block; width: 18px; height: 4px; border-radius: 2px; flex: none; }
.swatch.dashed { height: 0; border-top: 2px dashed; border-radius: 0; }
.table-wrapper { overflow-x: auto; }
table.candidates { border-collapse: collapse; width: 100%; font-size: 13px; }
table.candidates th, table.candidates td { padding: 5px 8px; border-bottom: 1px solid #e6e6e6; text-align: left; vertical-align: top; }
table.candidates th { background: #f6f6f6; font-weight: 600; white-space: nowrap; }
table.candidates td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.candidates td.center { text-align: center; }
table.candidates td.model { overflow-wrap: anywhere; min-width: 160px; }
table.candidates tr.winner td { background: #fff8e1; }
table.candidates tr.eliminated td, table.candidates tr.unmeasured td { color: #777777; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #ffd54f; color: #3a2c00; }
.error { color: #b00020; font-size: 12px; overflow-wrap: anywhere; }
footer { margin-top: 28px; font-size: 12px; color: #8a8a8a; }
`;
