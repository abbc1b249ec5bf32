import { PIPELINE_DATA } from '@huggingface/tasks';
import { isTask, type Task } from '../core/task.js';
import { closestMatch } from '../requirements/closest-match.js';
import type { CommandLine } from './command-line.js';
import { UsageError } from './usage-error.js';

/** The value of a task option (a `@huggingface/tasks` pipeline name); `undefined` when it was not given. */
export function taskOption(command: string, commandLine: CommandLine, name = 'task'): Task | undefined {
  const text = commandLine.string(name);
  if (text === undefined) return undefined;
  if (isTask(text)) return text;
  const suggestion = closestMatch(text, Object.keys(PIPELINE_DATA));
  throw new UsageError({
    command,
    message: `option '--${name}': '${text}' is not a task of @huggingface/tasks${suggestion === undefined ? ' (e.g. text-classification)' : `; did you mean '${suggestion}'?`}`,
  });
}
