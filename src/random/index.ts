export type { RandomSource } from './random-source.js';
export {
  sampleBeta,
  sampleGamma,
  sampleIndex,
  sampleStandardNormal,
  sampleStudentT,
} from './sampling.js';
export { seededRandom } from './seeded-random.js';
