/**
 * The search across the state tree as a child process (finder.ts starts it), so the server
 * answers while it runs: `node --import tsx findChild.ts '<FindRequest as JSON>'`. Loads the
 * model, runs findReachable and prints one JSON line, a FindMessage.
 */
import { loadChoice, type ModelChoice } from './modelChoice.ts';
import { type FindBounds, type FindOutcome, findReachable } from './findReachable.ts';
import { parseQuery } from './search.ts';

export interface FindRequest {
  readonly choice: ModelChoice;
  readonly query: string;
  readonly bounds: FindBounds;
}

/** The child's answer: the outcome with its path as text, or why it failed. */
export type FindMessage =
  | ({ readonly type: 'done' } & Omit<FindOutcome, 'path'> & { readonly path?: string })
  | { readonly type: 'error'; readonly message: string };

const emit = (m: FindMessage): void => {
  process.stdout.write(`${JSON.stringify(m)}\n`);
};

const run = async (req: FindRequest): Promise<void> => {
  const { model } = await loadChoice(req.choice);
  const { path, ...rest } = findReachable(model, parseQuery(req.query), req.bounds);
  emit({ type: 'done', ...rest, ...(path ? { path: [path.init, ...path.actions].join('.') } : {}) });
};

run(JSON.parse(process.argv[2] ?? '{}') as FindRequest).catch((e: unknown) => {
  emit({ type: 'error', message: (e as Error).message.split('\n')[0] ?? String(e) });
  process.exitCode = 1;
});
