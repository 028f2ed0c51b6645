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
