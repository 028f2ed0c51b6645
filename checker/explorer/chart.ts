/**
 * The sequence chart of a path, as SVG text: one lane per component (Model.view), a row per
 * step with that step's events as arrows between lanes (a message) or marks on one lane (a
 * step inside a component). The page shows this very text, and `--svg FILE` writes it with its
 * style inline, so the file and the page draw the same chart. Each row carries its step
 * (`data-step`) and each event its lanes (`data-from`, `data-to`, or `data-lane`), which the
 * page uses to select a step on a click.
 */
import type { ViewEvent } from '../view.ts';
import { escapeXml, SVG_NS, svgElement, svgText } from './svgText.ts';

/** What the chart needs of a step (a StepSummary of session.ts has it). */
export interface ChartStep {
  readonly label: string;
  readonly events: readonly ViewEvent[];
}

const LANE_W = 84;
const LEFT = 44;
const SUB_ROW = 18;
const TOP = 26;

/**
 * The chart of `steps` between `lanes`, or undefined when there are no lanes (the model
 * declares no view). With `style`, the CSS goes inside the SVG (a file that stands alone).
 */
export const chartSvg = (lanes: readonly string[], steps: readonly ChartStep[], style?: string): string | undefined => {
  if (lanes.length === 0) return undefined;
  const x = new Map(lanes.map((l, i) => [l, LEFT + LANE_W * i + LANE_W / 2]));
  const width = LEFT + LANE_W * lanes.length;
  let y = TOP;
  const rows = steps.map((s, k) => {
    const events = s.events.filter((e) => x.has(e.from) && x.has(e.to));
    const h = Math.max(1, events.length) * SUB_ROW + 4;
    const top = y;
    y += h;
    const title = svgElement('title', {}, svgText(`step ${k}: ${s.label}`));
    const marks = events.map((e, i) => {
      const ey = top + SUB_ROW * i + 12;
      const x1 = x.get(e.from)!;
      const x2 = x.get(e.to)!;
      const cls = `event${e.mark ? ` ${e.mark}` : ''}`;
      if (e.from === e.to) {
        return svgElement(
          'g',
          { class: cls, 'data-lane': e.from },
          title,
          svgElement('circle', { cx: x1, cy: ey - 3, r: 4 }),
          svgElement('text', { x: x1 + 7, y: ey }, svgText(e.label)),
        );
      }
      return svgElement(
        'g',
        { class: cls, 'data-from': e.from, 'data-to': e.to },
        title,
        svgElement('line', { x1, y1: ey - 3, x2: x2 + (x2 > x1 ? -2 : 2), y2: ey - 3, 'marker-end': 'url(#chart-arrow)' }),
        svgElement('text', { x: (x1 + x2) / 2, y: ey - 6, 'text-anchor': 'middle' }, svgText(e.label)),
      );
    });
    return svgElement(
      'g',
      { class: 'row', 'data-step': k },
      svgElement('rect', { class: 'bg', x: 0, y: top, width, height: h }),
      svgElement('text', { class: 'stepno', x: 4, y: top + 13 }, String(k)),
      k === 0 ? svgElement('text', { class: 'stepno', x: LEFT, y: top + 13 }, 'initial state') : '',
      ...marks,
    );
  });
  const height = y + 8;
  // Lanes first (names on top, dashed lines down), then the rows over them, so every event stays clickable.
  const laneMarks = lanes.flatMap((l) => [
    svgElement('line', { class: 'lane-line', x1: x.get(l)!, y1: TOP - 4, x2: x.get(l)!, y2: y + 4 }),
    svgElement('text', { class: 'lane-name', 'data-lane': l, x: x.get(l)!, y: 14, 'text-anchor': 'middle' }, svgText(l)),
  ]);
  return svgElement(
    'svg',
    { xmlns: SVG_NS, class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'sequence chart' },
    style !== undefined ? svgElement('style', {}, escapeXml(style)) : '',
    svgElement(
      'defs',
      {},
      svgElement(
        'marker',
        { id: 'chart-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        svgElement('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#2f5d8a' }),
      ),
    ),
    ...laneMarks,
    ...rows,
  );
};
