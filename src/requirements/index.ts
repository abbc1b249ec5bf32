export { parseByteSize, parseParameterCount } from './human-size.js';
export { type LoadRequirementsOptions, loadRequirements } from './load-requirements.js';
export {
  type ParseRequirementsOptions,
  parseRequirements,
  REQUIREMENTS_DEFAULTS,
} from './parse-requirements.js';
export type { Requirements, RequirementsFormat, TaskRequirements } from './requirements.js';
export { REQUIREMENTS_SCHEMA } from './requirements-schema.js';
export { toSelectionRequest } from './selection-request.js';
export {
  REQUIREMENTS_WATCH_DEFAULTS,
  type RequirementsChangedEvent,
  type RequirementsWatcher,
  type RequirementsWatcherEvents,
  type WatchRequirementsOptions,
  watchRequirements,
} from './watch-requirements.js';
