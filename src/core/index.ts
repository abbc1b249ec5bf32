export { LICENSE_GROUPS, licenseGroup, licenseViolation, normalizeLicense } from './license.js';
export type { LicenseGroup, LicensePolicy } from './license-policy.js';
export type { LocalModelCopy, ModelCandidate, ModelFile, ModelPricing } from './model-candidate.js';
export type { Constraints, ModelRequirements, Objective } from './model-requirements.js';
export type { LatencyPercentiles, ModelScore, QualityMeasurement } from './model-score.js';
export { isTask, type Modality, modalityOf, type Task } from './task.js';
export type { LabeledExample, TestData } from './test-data.js';
