/** The lines the explorer's background check (runCheck.ts) prints, one JSON object each, as the server (runner.ts) reads them. */
import type { CheckResult, Progress } from '../result.ts';

/** One line of the child's output. */
export type RunMessage =
  | ({ readonly type: 'progress' } & Progress)
  | ({
      readonly type: 'done';
      readonly verdict: string;
      readonly cutBy?: string;
      readonly properties: readonly { readonly name: string; readonly kind: string; readonly status: string }[];
      readonly counterexample?: {
        readonly property: string;
        readonly kind: string;
        readonly explanation?: string;
        readonly path: string;
        readonly length: number;
        /** A lasso's loop start (temporal properties): the step the behaviour returns to, forever. */
        readonly loop?: number;
      };
    } & Pick<CheckResult, 'distinctStates' | 'generatedStates' | 'depth' | 'durationMs' | 'statesPerSecond' | 'coverage' | 'neverFired'>)
  | { readonly type: 'error'; readonly message: string };
