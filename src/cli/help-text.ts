import type { Command, OptionGroup } from './command.js';
import { COMMANDS, type CommandEntry, type CommandGroup, isCommandGroup } from './command-registry.js';
import { EXIT_STATUS_HELP } from './exit-codes.js';
import {
  type OptionDefinition,
  OUTPUT_OPTIONS,
  PROVIDER_OPTIONS,
  STORE_OPTION,
} from './option-definition.js';
import type { TextStyle } from './text-style.js';

/** The program's name, as commands are typed. */
export const PROGRAM = 'modelscout';

/** The width help text is wrapped to. */
const HELP_WIDTH = 100;

/** Every option a command accepts: its own, then its groups', then the output options. */
export function commandOptions(command: Command): OptionDefinition[] {
  return [
    ...command.options,
    ...command.optionGroups.flatMap((group) => groupOptions(group)),
    ...OUTPUT_OPTIONS,
  ];
}

function groupOptions(group: OptionGroup): readonly OptionDefinition[] {
  return group === 'providers' ? PROVIDER_OPTIONS : [STORE_OPTION];
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `label` and a wrapped description with a hanging indent, as help lists them. */
function definitionLines(entries: readonly (readonly [label: string, description: string])[]): string[] {
  const labelWidth = Math.min(28, Math.max(...entries.map(([label]) => label.length)));
  const lines: string[] = [];
  for (const [label, description] of entries) {
    const wrapped = wrap(description, HELP_WIDTH - labelWidth - 4);
    if (label.length > labelWidth) {
      lines.push(`  ${label}`);
      for (const line of wrapped) lines.push(`  ${' '.repeat(labelWidth)}  ${line}`);
    } else {
      wrapped.forEach((line, index) => {
        lines.push(`  ${(index === 0 ? label : '').padEnd(labelWidth)}  ${line}`);
      });
    }
  }
  return lines;
}

function optionLabel(option: OptionDefinition): string {
  const short = option.short === undefined ? '' : `-${option.short}, `;
  if (option.type === 'boolean') return `${short}--${option.name}`;
  const value = option.valueName ?? '<value>';
  return `${short}--${option.name}${value.startsWith('[') ? value : ` ${value}`}`;
}

function exitStatusLines(): string[] {
  return EXIT_STATUS_HELP.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`);
}

/** The `--help` text of a command. */
export function commandHelp(command: Command, style: TextStyle): string {
  const lines = [
    `${style.bold('Usage:')} ${command.usage.map((usage) => `${PROGRAM} ${usage}`).join(`\n       `)}`,
    '',
    ...wrap(command.description, HELP_WIDTH),
  ];
  if (command.arguments !== undefined && command.arguments.length > 0) {
    lines.push('', style.bold('Arguments:'), ...definitionLines(command.arguments));
  }
  const sections: (readonly [title: string, options: readonly OptionDefinition[]])[] = [
    ['Options:', command.options],
  ];
  if (command.optionGroups.includes('providers')) {
    sections.push([
      'Providers (default: the Hub at HF_ENDPOINT or huggingface.co, and the Hugging Face cache):',
      PROVIDER_OPTIONS,
    ]);
  }
  if (command.optionGroups.includes('store')) sections.push(['Store:', [STORE_OPTION]]);
  sections.push(['Output:', OUTPUT_OPTIONS]);
  for (const [title, options] of sections) {
    if (options.length === 0) continue;
    lines.push(
      '',
      ...wrap(title, HELP_WIDTH).map((line) => style.bold(line)),
      ...definitionLines(options.map((option) => [optionLabel(option), option.description])),
    );
  }
  if (command.examples.length > 0) {
    lines.push('', style.bold('Examples:'), ...command.examples.map((example) => `  ${PROGRAM} ${example}`));
  }
  lines.push('', style.bold('Exit status:'), ...exitStatusLines());
  return lines.join('\n');
}

/** The `--help` text of a group of commands (`cache`, `hub`). */
export function groupHelp(group: CommandGroup, style: TextStyle): string {
  return [
    `${style.bold('Usage:')} ${PROGRAM} ${group.name} <command> [options]`,
    '',
    `${group.summary[0]!.toUpperCase()}${group.summary.slice(1)}.`,
    '',
    style.bold('Commands:'),
    ...definitionLines(group.commands.map((entry) => [entry.name, entry.summary])),
    '',
    `Run '${PROGRAM} ${group.name} <command> --help' for a command's options.`,
  ].join('\n');
}

/** The `modelscout --help` overview. */
export function overviewHelp(version: string, style: TextStyle): string {
  const entries: [string, string][] = [];
  for (const entry of COMMANDS) {
    if (isCommandGroup(entry)) {
      for (const command of entry.commands as readonly CommandEntry[]) {
        entries.push([`${entry.name} ${command.name}`, command.summary]);
      }
    } else entries.push([entry.name, entry.summary]);
  }
  return [
    `${style.bold(PROGRAM)} ${version}: find machine-learning models, measure them on your data, choose the best one.`,
    '',
    `${style.bold('Usage:')} ${PROGRAM} <command> [options]`,
    `       ${PROGRAM} <command> --help`,
    '',
    style.bold('Commands:'),
    ...definitionLines(entries),
    '',
    style.bold('Options:'),
    ...definitionLines([
      ['-h, --help', 'show this help'],
      ['-V, --version', "print modelscout's version"],
    ]),
    '',
    style.bold('Environment:'),
    ...definitionLines([
      ['HF_TOKEN', 'a Hugging Face access token (sent only over HTTPS or to this machine; never printed)'],
      ['HF_ENDPOINT', 'the default Hub (https://huggingface.co)'],
      ['HF_HUB_CACHE, HF_HOME', 'where the Hugging Face cache is'],
      ['HF_HUB_OFFLINE=1', 'by default, look for models in the Hugging Face cache only'],
      ['NO_COLOR', 'no colors'],
      ['MODELSCOUT_DEBUG=1', 'print stack traces of errors'],
    ]),
    '',
    style.bold('Exit status:'),
    ...exitStatusLines(),
  ].join('\n');
}
