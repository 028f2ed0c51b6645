/**
 * The oracle (does a trace describe a behaviour the model allows?) is generic: it lives in
 * the engine, checker/oracle.ts, where the explorer uses it too. Re-exported here for the
 * commands of traces/.
 */
export * from '../checker/oracle.ts';
