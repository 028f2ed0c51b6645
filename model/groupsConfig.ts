/**
 * The configuration of several consistency groups at once (Fig 11, PROTOCOL.md §10): one
 * system configuration per group, the storage devices ("boxes") that hold devices of several
 * groups, and the mutants of the composition. JSON validation with one-line messages naming
 * the field; `--param` and the protocol's own mutants apply to every group.
 */
import { InputError } from '../checker/errors.ts';
import { applyParams, type Config, MUTANTS, parseConfig, validator, withMutant } from './config.ts';

/**
 * Mutants of the composition: each breaks the independence of the groups (Fig 11: "may operate
 * independently"), not the protocol inside a group. Read where they act (grep the name).
 */
export const GROUP_MUTANTS = [
  'shared-box-not-ready', // a trigger deems its secondaries' boxes not ready for every group on them: one group's fault freezes the other
  'box-failure-triggers-all', // a device-link failure triggers every group with a device on the same box
] as const;
export type GroupMutantName = (typeof GROUP_MUTANTS)[number];

/** Most groups in one configuration: the state space is their product. */
export const MAX_GROUPS = 4;

/** A device of a group: primary device `index` (served by primary blade `index`) or secondary device `index`. */
export interface DeviceRef {
  readonly group: number;
  readonly role: 'primary' | 'secondary';
  readonly index: number;
}

/** A storage device of Fig 11 (202-205) holding devices of several groups, e.g. 202: primary in one, secondary in the other. */
export interface SharedBox {
  readonly box: string;
  readonly devices: readonly DeviceRef[];
}

export interface GroupsConfig {
  /** One configuration per consistency group, as for a single system; group k is named G(k+1). */
  readonly groups: readonly Config[];
  readonly shared: readonly SharedBox[];
  readonly mutant?: GroupMutantName;
}

/** The name of group k in reports, lanes and properties. */
export const groupLabel = (k: number): string => `G${k + 1}`;

/** True for the JSON of several groups (a "groups" field), false for one system's. */
export const isGroupsJson = (json: unknown): boolean => typeof json === 'object' && json !== null && !Array.isArray(json) && 'groups' in json;

const isGroupMutant = (m: unknown): m is GroupMutantName => (GROUP_MUTANTS as readonly unknown[]).includes(m);

/** A group mutant asked of one system's configuration: it has no other group to break. */
export const groupMutantError = (source: string, mutant: string): InputError | undefined =>
  isGroupMutant(mutant)
    ? new InputError(`${source}: mutant "${mutant}" breaks how several consistency groups run together; it needs a configuration with "groups" (e.g. --preset groups)`)
    : undefined;

const deviceText = (d: DeviceRef): string => `${groupLabel(d.group)}'s ${d.role} device ${d.index}`;

/**
 * Validates the parsed JSON of a groups configuration. Throws `InputError` naming the first
 * bad field; a group's own fields are named under `groups[k]`.
 */
export const parseGroupsConfig = (json: unknown, source: string): GroupsConfig => {
  const v = validator(source);
  const top = v.obj(json, '', ['groups', 'shared', 'mutant']);
  const raw = v.arr(top['groups'], 'groups', 2);
  if (raw.length > MAX_GROUPS) v.fail('groups', `must have at most ${MAX_GROUPS} groups`, raw.length);
  const groups = raw.map((g, k) => parseConfig(g, `${source}: groups[${k}]`));
  const shared: SharedBox[] = [];
  const placed = new Map<string, string>(); // device key → box
  const sharedRaw = top['shared'] === undefined ? [] : v.arr(top['shared'], 'shared', 0);
  sharedRaw.forEach((entry, b) => {
    const f = `shared[${b}]`;
    const o = v.obj(entry, f, ['box', 'devices']);
    const name = o['box'];
    if (!(typeof name === 'string' && name !== '') && !(typeof name === 'number' && Number.isInteger(name) && name >= 0)) {
      v.fail(`${f}.box`, 'must be a name (a non-empty string or a number, e.g. 202)', name);
    }
    const box = String(name);
    if (shared.some((x) => x.box === box)) v.fail(`${f}.box`, 'must differ from every other shared box', name);
    const devices = v.arr(o['devices'], `${f}.devices`, 2).map((d, n): DeviceRef => {
      const df = `${f}.devices[${n}]`;
      const dv = v.obj(d, df, ['group', 'primary', 'secondary']);
      const group = v.int(dv['group'], `${df}.group`, 0, groups.length - 1);
      if ((dv['primary'] === undefined) === (dv['secondary'] === undefined)) v.fail(df, 'must name exactly one of "primary" and "secondary"', d);
      const cfg = groups[group]!;
      const ref: DeviceRef =
        dv['primary'] !== undefined
          ? { group, role: 'primary', index: v.int(dv['primary'], `${df}.primary`, 0, cfg.primary.blades - 1) }
          : { group, role: 'secondary', index: v.int(dv['secondary'], `${df}.secondary`, 0, cfg.secondary.blades - 1) };
      const key = `${ref.group} ${ref.role} ${ref.index}`;
      const on = placed.get(key);
      if (on !== undefined) v.fail(df, `names ${deviceText(ref)}, which is already on box "${on}"`, d);
      placed.set(key, box);
      return ref;
    });
    // Fig 11: a box is primary in one group and secondary in another, never two devices of one group.
    const seen = new Set<number>();
    for (const d of devices) {
      if (seen.has(d.group)) v.fail(`${f}.devices`, `must hold at most one device of each group (${groupLabel(d.group)} appears twice)`, o['devices']);
      seen.add(d.group);
    }
    shared.push({ box, devices });
  });
  const cfg: GroupsConfig = { groups, shared };
  if (top['mutant'] === undefined) return cfg;
  return withGroupMutant(cfg, top['mutant'], `${source}: "mutant"`);
};

/**
 * Sets a mutant: a group mutant on the composition, a mutant of the protocol on every group.
 * Throws InputError listing both kinds for an unknown name.
 */
export const withGroupMutant = (cfg: GroupsConfig, mutant: unknown, source = '--mutant'): GroupsConfig => {
  if (mutant === undefined) return cfg;
  if (isGroupMutant(mutant)) return { ...cfg, mutant };
  if (typeof mutant === 'string' && (MUTANTS as readonly string[]).includes(mutant)) return { ...cfg, groups: cfg.groups.map((g) => withMutant(g, mutant, source)) };
  throw new InputError(`${source}: unknown mutant ${JSON.stringify(mutant)} (known: ${[...MUTANTS, ...GROUP_MUTANTS].join(', ')})`);
};

/** `--param key=value` overrides, applied to every group (each validated as a file would be). */
export const applyGroupParams = (cfg: GroupsConfig, params: Readonly<Record<string, string>>): GroupsConfig =>
  Object.keys(params).length === 0 ? cfg : { ...cfg, groups: cfg.groups.map((g) => applyParams(g, params)) };

/** The configuration written out whole as JSON (what `presetConfig` returns with parameters). */
export const groupsConfigJson = (cfg: GroupsConfig): unknown => ({
  groups: JSON.parse(JSON.stringify(cfg.groups)) as unknown,
  shared: cfg.shared.map((b) => ({ box: b.box, devices: b.devices.map((d) => ({ group: d.group, [d.role]: d.index })) })),
  ...(cfg.mutant ? { mutant: cfg.mutant } : {}),
});
