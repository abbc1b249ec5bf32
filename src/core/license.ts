import type { LicenseGroup, LicensePolicy } from './license-policy.js';

const GROUPS: Readonly<Record<Exclude<LicenseGroup, 'unknown'>, readonly string[]>> = {
  permissive: [
    'mit',
    'apache-2.0',
    'bsd-2-clause',
    'bsd-3-clause',
    'bsd-3-clause-clear',
    'bsd',
    'isc',
    'unlicense',
    'cc0-1.0',
    'cc-by-2.0',
    'cc-by-2.5',
    'cc-by-3.0',
    'cc-by-4.0',
    'zlib',
    'bsl-1.0',
    'artistic-2.0',
    'ecl-2.0',
    'afl-3.0',
    'wtfpl',
    'postgresql',
    'ncsa',
    'pddl',
    'odc-by',
    'c-uda',
    'apple-ascl',
  ],
  'weak-copyleft': [
    'lgpl-2.1',
    'lgpl-3.0',
    'lgpl-lr',
    'mpl-2.0',
    'epl-1.0',
    'epl-2.0',
    'cc-by-sa-3.0',
    'cc-by-sa-4.0',
    'cddl-1.0',
    'odbl',
    'eupl-1.1',
    'eupl-1.2',
  ],
  'strong-copyleft': ['gpl', 'gpl-2.0', 'gpl-3.0', 'agpl-3.0', 'osl-3.0', 'gfdl', 'lppl-1.3c'],
  'non-commercial': [
    'cc-by-nc-2.0',
    'cc-by-nc-3.0',
    'cc-by-nc-4.0',
    'cc-by-nc-nd-3.0',
    'cc-by-nc-nd-4.0',
    'cc-by-nc-sa-2.0',
    'cc-by-nc-sa-3.0',
    'cc-by-nc-sa-4.0',
    'deepfloyd-if-license',
  ],
};

const GROUP_OF = new Map<string, LicenseGroup>(
  Object.entries(GROUPS).flatMap(([group, ids]) => ids.map((id) => [id, group as LicenseGroup] as const)),
);

const ALIASES: Readonly<Record<string, string>> = {
  apache: 'apache-2.0',
  'apache 2.0': 'apache-2.0',
  'apache-2': 'apache-2.0',
  apache2: 'apache-2.0',
  'apache license 2.0': 'apache-2.0',
  'mit license': 'mit',
  'bsd-3': 'bsd-3-clause',
  'bsd-2': 'bsd-2-clause',
  gplv3: 'gpl-3.0',
  gplv2: 'gpl-2.0',
  'cc-by-nc': 'cc-by-nc-4.0',
  cc0: 'cc0-1.0',
};

/** Every license group name. */
export const LICENSE_GROUPS: readonly LicenseGroup[] = [
  'permissive',
  'weak-copyleft',
  'strong-copyleft',
  'non-commercial',
  'unknown',
];

/**
 * Normalizes a license string to its lower-case SPDX-style id (`'Apache 2.0'` → `'apache-2.0'`,
 * `'license:mit'` → `'mit'`); `undefined` for an empty value.
 */
export function normalizeLicense(license: string | undefined): string | undefined {
  if (license === undefined) return undefined;
  let id = license.trim().toLowerCase();
  if (id.startsWith('license:')) id = id.slice('license:'.length);
  if (id.length === 0) return undefined;
  return ALIASES[id] ?? id;
}

/** The group of a license (`'unknown'` when missing or not recognized). */
export function licenseGroup(license: string | undefined): LicenseGroup {
  const id = normalizeLicense(license);
  return id === undefined ? 'unknown' : (GROUP_OF.get(id) ?? 'unknown');
}

/** A license policy with its entries normalized once, for checking many candidates. */
export interface CompiledLicensePolicy {
  readonly policy: LicensePolicy;
  readonly allow: ReadonlySet<string> | undefined;
  readonly deny: ReadonlySet<string>;
}

function normalizedSet(entries: readonly string[]): Set<string> {
  const result = new Set<string>();
  for (const entry of entries) {
    const { id } = classify(entry);
    if (id !== undefined) result.add(id);
  }
  return result;
}

/** Normalizes a policy's `allow` and `deny` entries once. */
export function compileLicensePolicy(policy: LicensePolicy): CompiledLicensePolicy {
  return {
    policy,
    allow: policy.allow === undefined ? undefined : normalizedSet(policy.allow),
    deny: normalizedSet(policy.deny ?? []),
  };
}

const normalizedLicenses = new Map<string, { id: string | undefined; group: LicenseGroup }>();

function classify(license: string | undefined): { id: string | undefined; group: LicenseGroup } {
  if (license === undefined) return { id: undefined, group: 'unknown' };
  let known = normalizedLicenses.get(license);
  if (known === undefined) {
    const id = normalizeLicense(license);
    known = { id, group: licenseGroup(id) };
    if (normalizedLicenses.size < 10_000) normalizedLicenses.set(license, known);
  }
  return known;
}

/** Why a license fails a policy, or `undefined` when it passes. */
export function licenseViolation(
  policy: LicensePolicy,
  license: string | undefined,
  gated: boolean | undefined,
): string | undefined {
  return compiledLicenseViolation(compileLicensePolicy(policy), license, gated);
}

/** Why a license fails a compiled policy, as a code (no strings built). @internal */
export type LicenseVerdict = 'gated' | 'denied' | 'not-allowed' | 'unknown' | undefined;

/** The verdict of a compiled policy on one license; `undefined` when it passes. @internal */
export function licenseVerdict(
  compiled: CompiledLicensePolicy,
  license: string | undefined,
  gated: boolean | undefined,
): LicenseVerdict {
  const { allowGated, allowUnknown } = compiled.policy;
  if (gated === true && allowGated === false) return 'gated';
  const { id, group } = classify(license);
  const { allow, deny } = compiled;
  if (deny.has(group) || (id !== undefined && deny.has(id))) return 'denied';
  if (allow !== undefined) {
    if (allow.has(group) || (id !== undefined && allow.has(id))) return undefined;
    if (group === 'unknown' && allowUnknown === true) return undefined;
    return 'not-allowed';
  }
  if (group === 'unknown' && allowUnknown === false) return 'unknown';
  return undefined;
}

/** {@link licenseViolation} for a policy compiled once and checked against many licenses. @internal */
export function compiledLicenseViolation(
  compiled: CompiledLicensePolicy,
  license: string | undefined,
  gated: boolean | undefined,
): string | undefined {
  const verdict = licenseVerdict(compiled, license, gated);
  if (verdict === undefined || verdict === 'gated') return verdict;
  const { id, group } = classify(license);
  const shown = id ?? 'no license';
  if (verdict === 'denied') return `${shown} is denied`;
  if (verdict === 'not-allowed') return `${shown} (${group}) is not allowed`;
  return `${shown} is unknown`;
}

/** Whether no license at all can pass the policy. */
export function licensePolicyAdmitsNothing(policy: LicensePolicy): boolean {
  if (policy.allow === undefined || policy.allowUnknown === true) return false;
  const deny = normalizedSet(policy.deny ?? []);
  return policy.allow.every((entry) => {
    const id = normalizeLicense(entry);
    if (id === undefined) return true;
    const isGroup = (LICENSE_GROUPS as readonly string[]).includes(id);
    return deny.has(isGroup ? id : licenseGroup(id)) || (!isGroup && deny.has(id));
  });
}
