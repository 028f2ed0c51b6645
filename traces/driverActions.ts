/**
 * The fields of each action as the harness sends them in a `step` message
 * (traces/DRIVER.md, "The protocol"): the model's action without its `type`, under the
 * model's own field names. The vectors carry the same fields as `mbt::nondetPicks`.
 *
 * The list is checked against the model's action type when this file compiles (a field
 * added to an action and not listed here is a type error), and against DRIVER.md and the
 * canonical vectors by test/traces/driverDoc.test.ts.
 */
import type { Action } from '../model/actions.ts';

type FieldsOf<K extends Action['type']> = Exclude<keyof Extract<Action, { type: K }>, 'type'>;

/** Per action name, its fields in the order the model writes them. */
export const ACTION_FIELDS = {
  HostIssue: ['chain'],
  BladeStamp: ['blade'],
  TransferReady: ['blade'],
  DataTransfer: ['blade'],
  HostAck: ['chain'],
  ShuttleArrive: ['shuttle', 'blade'],
  Tick: [],
  Deliver: ['from', 'to', 'index'],
  SecShuttleArrive: ['blade'],
  SecTransfer: ['blade'],
  SyncDeliver: ['from', 'to', 'index'],
  LinkDown: ['from', 'to'],
  LinkUp: ['from', 'to'],
  SecRecover: ['blade'],
  Resend: ['blade'],
  DeviceLinkFail: ['device'],
  Repair: [],
  CopyTrack: ['secondary', 'block'],
  BladeRestart: ['side', 'blade'],
  BladeFail: ['blade'],
  Disaster: [],
  Failover: ['blade'],
  HaltAndRestore: [],
  BackgroundCopy: ['block'],
} as const satisfies { readonly [K in Action['type']]: readonly FieldsOf<K>[] };

/** The fields of an action the list above leaves out: `never` for every action, or this file does not compile. */
type Unlisted = { [K in Action['type']]: Exclude<FieldsOf<K>, (typeof ACTION_FIELDS)[K][number]> }[Action['type']];
const everyFieldListed: [Unlisted] extends [never] ? true : never = true;
void everyFieldListed;
