/**
 * Bad input from a user (flag, configuration, trace file, parameter). The CLI prints its
 * message on one line and exits with code 2. The message must name the problem, e.g.
 * `config.json: field "primaries[0].journalCapacity" must be a positive integer, got -1`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** True when `e` is an InputError (also across module copies). */
export const isInputError = (e: unknown): e is InputError =>
  e instanceof Error && e.name === 'InputError';

/**
 * A model that breaks its contract (checker/model.ts), as `--strict` finds it: e.g. `actions`
 * or `nextState` giving different results for equal states. An internal-error class: the CLI
 * prints the message (which names the state and the action) and exits with code 4.
 */
export class ModelContractError extends Error {
  override readonly name = 'ModelContractError';
}

/** True when `e` is a ModelContractError (also across module copies). */
export const isModelContractError = (e: unknown): e is ModelContractError =>
  e instanceof Error && e.name === 'ModelContractError';
