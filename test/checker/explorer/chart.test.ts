import { describe, expect, it } from 'vitest';
import { chartSvg } from '../../../checker/explorer/chart.ts';
import { escapeXml, svgElement } from '../../../checker/explorer/svgText.ts';
import { pathView } from '../../../checker/explorer/session.ts';
import { twoPhase } from '../../examples/twoPhase.ts';

describe('SVG as text', () => {
  it('escapes what could be read as markup, in text and in attributes', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
    expect(svgElement('text', { x: 1, 'data-lane': '"><script>', gone: undefined, off: false }, 'hi')).toBe('<text x="1" data-lane="&quot;&gt;&lt;script&gt;">hi</text>');
    expect(svgElement('circle', { r: 4 })).toBe('<circle r="4"/>');
  });
});

describe('the sequence chart', () => {
  const model = twoPhase(2, { plantCommitEarly: true });
  const view = pathView(model, { init: 0, actions: [3, 2, 0, 5, 9] });

  it('has a lane per component, a row per step, and the events of each step as arrows or marks', () => {
    const svg = chartSvg(view.lanes, view.steps)!;
    expect([...svg.matchAll(/class="lane-name" data-lane="([^"]*)"/g)].map((m) => m[1])).toEqual(['TM', 'r1', 'r2']);
    expect([...svg.matchAll(/<g class="row" data-step="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5]);
    // Step 2: r1's Prepared reaches the TM, an arrow from r1 to TM labelled with the message.
    const row2 = /<g class="row" data-step="2">(.*?)<\/g><g class="row" data-step="3">/.exec(svg)![1]!;
    expect(row2).toMatch(/<g class="event" data-from="r1" data-to="TM"><title>step 2: TMRcvPrepared\(r1\)<\/title><line [^>]*marker-end="url\(#chart-arrow\)"\/><text [^>]*>Prepared<\/text><\/g>/);
    // Rows are as tall as their events; the picture as tall as its rows.
    const heights = [...svg.matchAll(/<rect class="bg" x="0" y="(\d+)" width="\d+" height="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    heights.slice(1).forEach(([y], k) => expect(y).toBe(heights[k]![0]! + heights[k]![1]!));
    expect(svg).toMatch(new RegExp(`^<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${44 + 84 * 3}" height="${heights.at(-1)![0]! + heights.at(-1)![1]! + 8}"`));
    expect(svg).not.toContain('<style>');
  });

  it('carries its style when asked (a file that stands alone), and none without lanes', () => {
    expect(chartSvg(view.lanes, view.steps, 'svg.chart .x > .y { fill: red }')).toContain('<style>svg.chart .x &gt; .y { fill: red }</style>');
    expect(chartSvg([], view.steps)).toBeUndefined();
  });

  it('draws labels from the model as text, never as markup, and leaves out events between unknown lanes', () => {
    const svg = chartSvg(['a<b', 'c'], [
      { label: 'init', events: [] },
      { label: 'x</title><script>', events: [{ from: 'a<b', to: 'c', label: '<img>' }, { from: 'a<b', to: 'nowhere', label: 'lost' }, { from: 'c', to: 'c', label: 'self', mark: 'fault' }] },
    ])!;
    expect(svg).not.toMatch(/<script|<img/);
    expect(svg).toContain('&lt;img&gt;');
    expect(svg).not.toContain('lost');
    expect(svg).toContain('<g class="event fault" data-lane="c">');
  });
});
