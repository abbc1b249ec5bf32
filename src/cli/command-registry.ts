import type { Command } from './command.js';

/** A command as the overview lists it; its module is imported only when it runs (or shows its help). */
export interface CommandEntry {
  /** The word that names it, e.g. `'search'`, or `'ls'` inside the `cache` group. */
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/** A word that groups commands: `cache ls|prune|verify`, `hub serve`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly commands: readonly CommandEntry[];
}

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly (CommandEntry | CommandGroup)[] = [
  {
    name: 'search',
    summary: 'find models by text, task, library, license and size',
    load: async () => (await import('./commands/search.js')).searchCommand,
  },
  {
    name: 'info',
    summary: "show one model's details: files, dtypes, sizes, license, tasks, card",
    load: async () => (await import('./commands/info.js')).infoCommand,
  },
  {
    name: 'eval',
    summary: 'evaluate models on your labeled data, with progress and an ETA',
    load: async () => (await import('./commands/eval.js')).evalCommand,
  },
  {
    name: 'select',
    summary: 'choose the model for a task of a requirements file, with fallbacks',
    load: async () => (await import('./commands/select.js')).selectCommand,
  },
  {
    name: 'cache',
    summary: 'the Hugging Face cache',
    commands: [
      {
        name: 'ls',
        summary: 'list the cached models, their revisions and sizes',
        load: async () => (await import('./commands/cache-ls.js')).cacheListCommand,
      },
      {
        name: 'prune',
        summary: 'plan (and with --yes, do) removals: size budget, unused revisions or dtypes',
        load: async () => (await import('./commands/cache-prune.js')).cachePruneCommand,
      },
      {
        name: 'verify',
        summary: 'check every cached file against its hash',
        load: async () => (await import('./commands/cache-verify.js')).cacheVerifyCommand,
      },
    ],
  },
  {
    name: 'hub',
    summary: 'the local Hugging Face-compatible hub',
    commands: [
      {
        name: 'serve',
        summary: 'serve a folder of models over the Hub API until stopped',
        load: async () => (await import('./commands/hub-serve.js')).hubServeCommand,
      },
    ],
  },
  {
    name: 'report',
    summary: 'write the HTML report of an evaluation',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
];

/** Whether an entry of {@link COMMANDS} is a group. */
export function isCommandGroup(entry: CommandEntry | CommandGroup): entry is CommandGroup {
  return 'commands' in entry;
}
