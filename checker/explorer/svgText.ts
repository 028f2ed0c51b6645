/**
 * SVG written as text, for the drawings the explorer makes on the server (the sequence chart,
 * the liveness region): one element per call, attributes and text escaped, so a label from
 * the model (an action, a lane's name) is always text and never markup.
 */

/** `&`, `<`, `>` and both quotes as entities: safe in text and in a quoted attribute. */
export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Attribute values; an undefined or false one is left out. */
export type Attrs = Readonly<Record<string, string | number | undefined | false>>;

/** `<tag a="1">kids</tag>`, or `<tag a="1"/>` without kids; kids are SVG text already. */
export const svgElement = (tag: string, attrs: Attrs, ...kids: readonly string[]): string => {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  return kids.length === 0 ? `<${tag}${a}/>` : `<${tag}${a}>${kids.join('')}</${tag}>`;
};

/** A text node's content, escaped. */
export const svgText = (s: string): string => escapeXml(s);

/** What makes an SVG document stand alone: its namespace on the root. */
export const SVG_NS = 'http://www.w3.org/2000/svg';
