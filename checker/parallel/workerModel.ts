/** What every search worker does first: load the model from the spec, or say why it cannot. */
import { loadModel, type ModelSpec } from '../loadModel.ts';
import type { AnyModel } from '../model.ts';

/** The failure message a worker sends: an InputError (bad configuration) is the user's, anything else a fault. */
export interface WorkerFailure {
  readonly type: 'failed';
  readonly message: string;
  readonly input: boolean;
}

/** The model of `spec`, or undefined once `fail` was told why it could not be loaded. */
export const loadWorkerModel = async (spec: ModelSpec, fail: (m: WorkerFailure) => void): Promise<AnyModel | undefined> => {
  try {
    return (await loadModel(spec)).model;
  } catch (e) {
    fail({ type: 'failed', message: (e as Error).message, input: (e as Error).name === 'InputError' });
    return undefined;
  }
};
