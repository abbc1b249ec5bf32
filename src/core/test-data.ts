import type { Task } from './task.js';

/** One labeled example. */
export interface LabeledExample<Input = unknown, Label = unknown> {
  readonly input: Input;
  readonly label: Label;
}

/** Labeled data to evaluate candidates on. */
export interface TestData<Input = unknown, Label = unknown> {
  /** The task the examples are for. */
  readonly task: Task;
  /** The examples, in memory or streamed. */
  readonly examples: Iterable<LabeledExample<Input, Label>> | AsyncIterable<LabeledExample<Input, Label>>;
}
