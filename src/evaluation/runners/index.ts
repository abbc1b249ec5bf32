export {
  FUNCTION_RUNNER_DEFAULTS,
  type FunctionRunnerCommonOptions,
  type FunctionRunnerContext,
  type FunctionRunnerOptions,
  functionRunner,
} from './function-runner.js';
export type {
  ChatMessage,
  GeneratedToolCall,
  GenerationInput,
  GenerationOutput,
  ToolDefinition,
} from './generation-input.js';
export { estimateMemoryBytes, ONNX_MEMORY_FACTOR } from './memory-estimate.js';
export { OLLAMA_RUNNER_DEFAULTS, type OllamaRunnerOptions, ollamaRunner } from './ollama-runner.js';
export {
  OPENAI_COMPATIBLE_RUNNER_DEFAULTS,
  type OpenAICompatibleRunnerOptions,
  openAICompatibleRunner,
} from './openai-compatible-runner.js';
export {
  DTYPE_PREFERENCE,
  TRANSFORMERS_JS_RUNNER_DEFAULTS,
  TRANSFORMERS_JS_TASKS,
  type TransformersJsLoadedModel,
  type TransformersJsRunnerOptions,
  type TransformersPipeline,
  type TransformersPipelineFactory,
  transformersJsRunner,
} from './transformers-js-runner.js';
