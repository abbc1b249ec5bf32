// One process's speed measurements, printed as JSON: bench/run.ts runs several and takes medians.
import { runSelectionSpeed } from './selection-speed.js';

console.log(JSON.stringify(await runSelectionSpeed()));
