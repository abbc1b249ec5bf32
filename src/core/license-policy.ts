/** License groups a policy can allow or deny as a whole. */
export type LicenseGroup = 'permissive' | 'weak-copyleft' | 'strong-copyleft' | 'non-commercial' | 'unknown';

/**
 * Which licenses are acceptable. A license passes when it is not denied and either `allow` is
 * omitted or it matches `allow` (by SPDX id, case-insensitive, or by group).
 */
export interface LicensePolicy {
  /** SPDX ids or groups that are acceptable. @default every license */
  readonly allow?: readonly string[];
  /** SPDX ids or groups that are never acceptable (wins over `allow`). @default none */
  readonly deny?: readonly string[];
  /** Whether models with no or an unrecognized license pass. @default false when `allow` is given, else true */
  readonly allowUnknown?: boolean;
  /** Whether gated models pass. @default true */
  readonly allowGated?: boolean;
}
