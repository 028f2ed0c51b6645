/**
 * How a model asks to be drawn as a sequence chart (optional, `Model.view`): one lane per
 * component, and for each transition the events it causes between lanes. The engine never
 * uses it; the explorer (checker/explorer/) draws it. Pure functions of the states and the
 * action, so a chart is the same however often it is drawn.
 */
export interface ModelView<S, A> {
  /** The lanes, left to right, e.g. `['host', 'P0', 'P1', 'S0']`. Taken from an initial state. */
  lanes(s: S): readonly string[];
  /**
   * What the transition `before --action--> after` does, as events between lanes: a message
   * when `from` and `to` differ (an arrow), a step inside one component when they are equal.
   * Lanes not returned by `lanes` are ignored.
   */
  events(before: S, action: A, after: S): readonly ViewEvent[];
}

/** One event of a transition, drawn in the step's row of the chart. */
export interface ViewEvent {
  readonly from: string;
  readonly to: string;
  /** A short text on the arrow or beside the mark, e.g. `record w2 #1`. */
  readonly label: string;
  /** A fault (drawn in red) or a recovery step (drawn in green); default a protocol event. */
  readonly mark?: 'fault' | 'recovery';
}

/** The model's view, if it declares one (`Model.view`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const viewOf = (model: object): ModelView<any, any> | undefined => (model as { readonly view?: ModelView<unknown, unknown> }).view;
