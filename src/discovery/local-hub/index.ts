export {
  createLocalHub,
  LOCAL_HUB_DEFAULTS,
  type LocalHub,
  type LocalHubOptions,
} from './create-local-hub.js';
export { isValidModelId, MODEL_ID_PATTERN } from './model-id.js';
