import { ConfigurationError } from '../errors/configuration-error.js';
import { ContradictoryConstraintsError } from '../errors/contradictory-constraints-error.js';
import { InputFileError } from '../errors/input-file-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { NoFeasibleCandidateError } from '../errors/no-feasible-candidate-error.js';
import { InterruptedError } from './interrupted-error.js';
import { NothingFoundError } from './nothing-found-error.js';
import { UsageError } from './usage-error.js';

/** What the CLI's exit status means. One place, so that the code, `--help` and the docs agree. */
export const EXIT_CODES = Object.freeze({
  /** The command did what it was asked. */
  ok: 0,
  /** A runtime failure: a provider, the network, an evaluation, the store, the disk. */
  failure: 1,
  /** A usage error: unknown command or option, missing argument, invalid value. */
  usage: 2,
  /** A configuration error: the requirements file (or another input file) is invalid. */
  configuration: 3,
  /** Nothing found: an unknown model, no match, no feasible candidate. */
  nothingFound: 4,
  /** Interrupted by SIGINT (Ctrl-C). */
  interrupted: 130,
  /** Stopped by SIGTERM. */
  terminated: 143,
});

/** The exit statuses as `--help` lists them. */
export const EXIT_STATUS_HELP: readonly (readonly [code: number, meaning: string])[] = [
  [EXIT_CODES.ok, 'success'],
  [EXIT_CODES.failure, 'runtime failure (provider, network, evaluation, store, disk)'],
  [EXIT_CODES.usage, 'usage error (unknown command or option, missing argument, invalid value)'],
  [
    EXIT_CODES.configuration,
    'configuration error (invalid requirements, data or evaluation file; file:line:column)',
  ],
  [EXIT_CODES.nothingFound, 'nothing found (unknown model, no match, no feasible candidate)'],
  [EXIT_CODES.interrupted, 'interrupted (SIGINT; 143 for SIGTERM)'],
];

/** The exit status for a command that failed with `error`. */
export function exitCodeOf(error: unknown): number {
  if (InterruptedError.isInstance(error)) {
    return error.signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.terminated;
  }
  if (UsageError.isInstance(error) || InvalidArgumentError.isInstance(error)) return EXIT_CODES.usage;
  if (ContradictoryConstraintsError.isInstance(error)) return EXIT_CODES.usage;
  if (ConfigurationError.isInstance(error) || InputFileError.isInstance(error)) {
    return EXIT_CODES.configuration;
  }
  if (NothingFoundError.isInstance(error) || NoFeasibleCandidateError.isInstance(error)) {
    return EXIT_CODES.nothingFound;
  }
  return EXIT_CODES.failure;
}
