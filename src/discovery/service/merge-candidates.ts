import type { LocalModelCopy, ModelCandidate } from '../../core/model-candidate.js';
import { candidateKey } from '../search/candidate-key.js';

/**
 * What a provider of Hugging Face repositories describes: `'hub'`, the Hub or a mirror (the
 * source of popularity and the newest revision); `'local'`, copies on this machine.
 */
export type RepositoryRole = 'hub' | 'local';

/** The candidates one provider returned. */
export interface ProviderCandidates {
  readonly provider: string;
  readonly candidates: readonly ModelCandidate[];
}

/** A merged candidate and the key that identifies it across listings. */
export interface MergedCandidate {
  /** `hf:{lower-case id}` for Hugging Face repositories, else `provider:id`. */
  readonly key: string;
  readonly candidate: ModelCandidate;
}

interface Member {
  readonly provider: string;
  readonly role: RepositoryRole | undefined;
  readonly candidate: ModelCandidate;
}

/** Fields never copied from another member onto the merged candidate. */
const OWN_FIELDS = new Set<string>(['id', 'provider', 'providers', 'aliases', 'localCopies', 'raw']);

const repositoryKey = (id: string) => `hf:${id.toLowerCase()}`;

function localCopy({ provider, candidate }: Member): LocalModelCopy {
  const copy: { -readonly [K in keyof LocalModelCopy]: LocalModelCopy[K] } = { provider };
  if (candidate.localPath !== undefined) copy.path = candidate.localPath;
  if (candidate.revision !== undefined) copy.revision = candidate.revision;
  if (candidate.files !== undefined) copy.files = candidate.files;
  if (candidate.dtypes !== undefined) copy.dtypes = candidate.dtypes;
  if (candidate.sizeBytes !== undefined) copy.sizeBytes = candidate.sizeBytes;
  return copy;
}

function mergeGroup(members: readonly Member[]): ModelCandidate {
  const base = members.find((member) => member.role === 'hub') ?? members[0]!;
  const providers = [base.provider];
  for (const member of members) if (!providers.includes(member.provider)) providers.push(member.provider);
  if (members.length === 1 && base.role === undefined) return { ...base.candidate, providers };

  const merged: Record<string, unknown> = { ...base.candidate };
  for (const member of members) {
    if (member === base) continue;
    for (const [field, value] of Object.entries(member.candidate)) {
      if (value !== undefined && merged[field] === undefined && !OWN_FIELDS.has(field)) merged[field] = value;
    }
  }
  const aliases = new Set(base.candidate.aliases ?? []);
  for (const member of members) {
    if (member.candidate.id !== base.candidate.id) aliases.add(member.candidate.id);
    for (const alias of member.candidate.aliases ?? []) if (alias !== base.candidate.id) aliases.add(alias);
  }
  const locals = members.filter((member) => member.role === 'local');
  merged.providers = providers;
  if (aliases.size > 0) merged.aliases = [...aliases];
  if (locals.length > 0) merged.localCopies = locals.map(localCopy);
  return merged as unknown as ModelCandidate;
}

/**
 * Merges candidates of several providers. Candidates of repository providers (`roles`) with the
 * same id, ignoring case, or whose id is another's alias, become one candidate: the first
 * `'hub'` candidate (else the first local one) with the fields it lacks filled from the others,
 * `providers` (every provider that has it), `aliases` (other ids it goes by) and `localCopies`
 * (one per local provider). Other candidates are kept as they are, with `providers: [provider]`.
 * Within one provider, ids are expected to be distinct. Hub members are grouped first, so the
 * result does not depend on the order of `listings` except for precedence among equals.
 */
export function mergeCandidates(
  listings: readonly ProviderCandidates[],
  roles: Readonly<Record<string, RepositoryRole>>,
): MergedCandidate[] {
  const groups: Member[][] = [];
  const groupByKey = new Map<string, Member[]>();
  const addRepositoryMembers = (wanted: RepositoryRole) => {
    for (const { provider, candidates } of listings) {
      const role = Object.hasOwn(roles, provider) ? roles[provider] : undefined;
      if (role !== wanted) continue;
      for (const candidate of candidates) {
        const keys = [candidate.id, ...(candidate.aliases ?? [])].map(repositoryKey);
        let group: Member[] | undefined;
        for (const key of keys) {
          group = groupByKey.get(key);
          if (group !== undefined) break;
        }
        if (group === undefined) {
          group = [];
          groups.push(group);
        }
        group.push({ provider, role, candidate });
        for (const key of keys) if (!groupByKey.has(key)) groupByKey.set(key, group);
      }
    }
  };
  addRepositoryMembers('hub');
  addRepositoryMembers('local');
  for (const { provider, candidates } of listings) {
    if (Object.hasOwn(roles, provider)) continue;
    for (const candidate of candidates) groups.push([{ provider, role: undefined, candidate }]);
  }
  return groups.map((members) => {
    const candidate = mergeGroup(members);
    const key = members[0]!.role === undefined ? candidateKey(candidate) : repositoryKey(candidate.id);
    return { key, candidate };
  });
}
