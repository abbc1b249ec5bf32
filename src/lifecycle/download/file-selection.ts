import picomatch from 'picomatch';
import { onnxDtypes, onnxVariantOf } from '../../discovery/providers/onnx-variants.js';

/** One file of a repository at one commit, as the Hub lists it. */
export interface RemoteFile {
  /** Path inside the repository, `/`-separated, e.g. `'onnx/model_quantized.onnx'`. */
  readonly path: string;
  readonly sizeBytes: number;
  /**
   * The blob the content is stored under, which is also its checksum: the sha256 of Git LFS
   * files (the Hub's etag), or the Git blob sha1 of the others.
   */
  readonly blob: string;
}

/** Which files of a listing to fetch. */
export interface FileSelectionOptions {
  /** Only the ONNX weights of this dtype (with their external data) and the files that are not weights. */
  readonly dtype?: string;
  /** Glob patterns (picomatch, `**` for any depth, a trailing `/` for a whole folder); a file must match one. */
  readonly allow?: readonly string[];
  /** Glob patterns of files to skip. */
  readonly ignore?: readonly string[];
  /** Whether pickle weights may be fetched. */
  readonly allowPickle: boolean;
}

/** The files to fetch, or why the request cannot be met. */
export type FileSelection =
  | { readonly kind: 'selected'; readonly files: readonly RemoteFile[] }
  | {
      readonly kind: 'refused';
      readonly reason: 'pickle-refused' | 'not-found';
      readonly path?: string;
      readonly message: string;
    };

/** Extensions of pickle files, which can run code when loaded. */
export const PICKLE_EXTENSIONS: readonly string[] = Object.freeze([
  '.bin',
  '.pt',
  '.pth',
  '.pkl',
  '.pickle',
  '.ckpt',
]);

/** Weight formats other than ONNX: not needed when an ONNX dtype is asked for. */
const OTHER_WEIGHT_EXTENSIONS = [
  ...PICKLE_EXTENSIONS,
  '.safetensors',
  '.gguf',
  '.h5',
  '.keras',
  '.msgpack',
  '.ot',
  '.tflite',
  '.mlmodel',
  '.pb',
  '.npz',
  '.joblib',
];

/** ONNX external data: `model.onnx_data`, `model.onnx.data`, `model.onnx_data_1` (chunked). */
const ONNX_DATA = /^(.*\.onnx)(?:_data|\.data)(?:_\d+)?$/;

/** Whether `filePath` is a pickle file (see {@link PICKLE_EXTENSIONS}). */
export function isPickleFile(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return PICKLE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** The ONNX file an external-data file belongs to (`onnx/model.onnx_data` → `onnx/model.onnx`). */
export function onnxDataOwner(filePath: string): string | undefined {
  return ONNX_DATA.exec(filePath)?.[1];
}

function isOtherWeight(filePath: string): boolean {
  const lower = filePath.toLowerCase();
  return OTHER_WEIGHT_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/**
 * `filePath` as a glob pattern that matches only itself: every glob character escaped with a
 * backslash (listing paths never hold one).
 */
export function escapeGlob(filePath: string): string {
  return filePath.replace(/[*?[\]{}()!+@|^$]/g, '\\$&');
}

/** `onnx/` means the whole folder, as in `huggingface_hub`. */
function normalizePattern(pattern: string): string {
  return pattern.endsWith('/') ? `${pattern}**` : pattern;
}

function matcher(patterns: readonly string[] | undefined): ((filePath: string) => boolean) | undefined {
  if (patterns === undefined) return undefined;
  if (patterns.length === 0) return () => false;
  return picomatch(patterns.map(normalizePattern), { dot: true });
}

/**
 * Whether some allow pattern names this pickle file on purpose: the file's own path, or a pattern
 * ending with its extension (`*.bin`, `**\/*.pt`). Wildcards such as `*` or `**` match pickle files
 * only by accident: those are skipped, not refused.
 */
function isExplicitPickleRequest(filePath: string, allow: readonly string[] | undefined): boolean {
  if (allow === undefined) return false;
  const lower = filePath.toLowerCase();
  const extension = PICKLE_EXTENSIONS.find((candidate) => lower.endsWith(candidate)) ?? '';
  return allow.some(
    (pattern) =>
      (pattern === filePath || pattern.toLowerCase().endsWith(extension)) &&
      picomatch.isMatch(filePath, normalizePattern(pattern), { dot: true }),
  );
}

/**
 * The files of a listing to fetch:
 * - pickle files only with `allowPickle`; without it they are skipped, and refused
 *   (`'pickle-refused'`) when an `allow` pattern names them on purpose;
 * - `ignore` patterns skip files, `allow` patterns (when given) keep only the files they match;
 * - with a `dtype`, only the ONNX weights of that dtype (every model part, e.g. encoder and
 *   decoder) and their external data (`.onnx_data`), no other weight format (`.safetensors`,
 *   `.gguf`, …), and every other file (config, tokenizer, …). A dtype the repository has no
 *   ONNX weights for is `'not-found'`.
 */
export function selectFiles(files: readonly RemoteFile[], options: FileSelectionOptions): FileSelection {
  const { dtype, allow, ignore, allowPickle } = options;
  const isAllowed = matcher(allow);
  const isIgnored = matcher(ignore);
  const variantPaths = new Set<string>();
  for (const file of files) {
    if (dtype !== undefined && onnxVariantOf(file.path)?.dtype === dtype) variantPaths.add(file.path);
  }
  if (dtype !== undefined && variantPaths.size === 0) {
    const dtypes = onnxDtypes(files.map((file) => ({ path: file.path })));
    return {
      kind: 'refused',
      reason: 'not-found',
      message:
        dtypes.length === 0
          ? `no ONNX weights for dtype '${dtype}' (the repository has no transformers.js ONNX files)`
          : `no ONNX weights for dtype '${dtype}' (it has ${dtypes.join(', ')})`,
    };
  }
  const selected: RemoteFile[] = [];
  for (const file of files) {
    if (isPickleFile(file.path) && !allowPickle) {
      if (isExplicitPickleRequest(file.path, allow) && !isIgnored?.(file.path)) {
        return {
          kind: 'refused',
          reason: 'pickle-refused',
          path: file.path,
          message: 'pickle weights can run code when loaded; pass allowPickle: true to fetch them',
        };
      }
      continue;
    }
    if (isIgnored?.(file.path)) continue;
    if (isAllowed && !isAllowed(file.path)) continue;
    if (dtype !== undefined) {
      const owner = onnxDataOwner(file.path);
      if (owner !== undefined) {
        if (!variantPaths.has(owner)) continue;
      } else if (file.path.toLowerCase().endsWith('.onnx')) {
        if (!variantPaths.has(file.path)) continue;
      } else if (isOtherWeight(file.path)) {
        continue;
      }
    }
    selected.push(file);
  }
  return { kind: 'selected', files: selected };
}
