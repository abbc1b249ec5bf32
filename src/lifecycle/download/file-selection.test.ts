import { describe, expect, test } from 'vitest';
import { escapeGlob, isPickleFile, onnxDataOwner, type RemoteFile, selectFiles } from './file-selection.js';

const file = (path: string): RemoteFile => ({ path, sizeBytes: 1, blob: 'b' });
const LISTING = [
  '.gitattributes',
  'README.md',
  'config.json',
  'tokenizer.json',
  'tokenizer.model',
  'model.safetensors',
  'pytorch_model.bin',
  'training_args.pt',
  'onnx/model.onnx',
  'onnx/model.onnx_data',
  'onnx/model_quantized.onnx',
  'onnx/model_fp16.onnx',
  'onnx/model_fp16.onnx_data',
  'onnx/model_fp16.onnx_data_1',
  'onnx/model_O3.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
  'onnx/decoder_model_merged_quantized.onnx.data',
  'onnx/decoder_model_merged.onnx',
].map(file);

const paths = (selection: ReturnType<typeof selectFiles>) =>
  selection.kind === 'selected' ? selection.files.map((entry) => entry.path) : selection;

describe('selectFiles', () => {
  test('without options: everything but pickle files', () => {
    expect(paths(selectFiles(LISTING, { allowPickle: false }))).toEqual(
      LISTING.map((entry) => entry.path).filter((path) => !path.endsWith('.bin') && !path.endsWith('.pt')),
    );
    expect(paths(selectFiles(LISTING, { allowPickle: true }))).toEqual(LISTING.map((entry) => entry.path));
  });

  test('a dtype: its weights for every model part with their external data, and every non-weight file', () => {
    expect(paths(selectFiles(LISTING, { dtype: 'q8', allowPickle: false }))).toEqual([
      '.gitattributes',
      'README.md',
      'config.json',
      'tokenizer.json',
      'tokenizer.model',
      'onnx/model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx.data',
    ]);
    expect(paths(selectFiles(LISTING, { dtype: 'fp16', allowPickle: true, allow: ['onnx/**'] }))).toEqual([
      'onnx/model_fp16.onnx',
      'onnx/model_fp16.onnx_data',
      'onnx/model_fp16.onnx_data_1',
    ]);
    expect(
      paths(selectFiles(LISTING, { dtype: 'fp32', allowPickle: false, ignore: ['*.md', '.*'] })),
    ).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer.model',
      'onnx/model.onnx',
      'onnx/model.onnx_data',
      'onnx/decoder_model_merged.onnx',
    ]);
  });

  test('a dtype without weights is not-found, listing the dtypes there are', () => {
    expect(selectFiles(LISTING, { dtype: 'q4', allowPickle: false })).toEqual({
      kind: 'refused',
      reason: 'not-found',
      message: "no ONNX weights for dtype 'q4' (it has fp32, fp16, q8)",
    });
    expect(selectFiles([file('config.json')], { dtype: 'q8', allowPickle: false })).toMatchObject({
      reason: 'not-found',
      message: expect.stringContaining('no transformers.js ONNX files') as unknown,
    });
  });

  test('pickle files named on purpose are refused; wildcards skip them; ignore wins', () => {
    for (const allow of [['*.bin'], ['pytorch_model.bin'], ['**/*.BIN'.toLowerCase()], ['*.pt']]) {
      expect(selectFiles(LISTING, { allow, allowPickle: false })).toMatchObject({
        kind: 'refused',
        reason: 'pickle-refused',
      });
    }
    expect(paths(selectFiles(LISTING, { allow: ['*'], allowPickle: false }))).not.toContain(
      'pytorch_model.bin',
    );
    expect(paths(selectFiles(LISTING, { allow: ['*.bin'], ignore: ['*.bin'], allowPickle: false }))).toEqual(
      [],
    );
    expect(paths(selectFiles(LISTING, { allow: ['*.bin'], allowPickle: true }))).toEqual([
      'pytorch_model.bin',
    ]);
  });

  test('allow and ignore: picomatch globs, dot files matched, a trailing / means the folder', () => {
    expect(
      paths(
        selectFiles(LISTING, { allow: ['onnx/'], ignore: ['**/*_data*', '**/*.data'], allowPickle: false }),
      ),
    ).toEqual([
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'onnx/model_fp16.onnx',
      'onnx/model_O3.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/decoder_model_merged.onnx',
    ]);
    expect(paths(selectFiles(LISTING, { allow: ['.git*'], allowPickle: false }))).toEqual(['.gitattributes']);
    expect(paths(selectFiles(LISTING, { allow: [], allowPickle: false }))).toEqual([]);
  });
});

test('isPickleFile and onnxDataOwner', () => {
  for (const name of ['a.bin', 'x/y.PT', 'm.pth', 'p.pkl', 'q.pickle', 'c.ckpt'])
    expect(isPickleFile(name)).toBe(true);
  for (const name of ['a.safetensors', 'a.onnx', 'bin', 'a.binary']) expect(isPickleFile(name)).toBe(false);
  expect(onnxDataOwner('onnx/model.onnx_data')).toBe('onnx/model.onnx');
  expect(onnxDataOwner('onnx/model_fp16.onnx_data_3')).toBe('onnx/model_fp16.onnx');
  expect(onnxDataOwner('onnx/model.onnx.data')).toBe('onnx/model.onnx');
  expect(onnxDataOwner('onnx/model.onnx')).toBeUndefined();
});

test('escapeGlob makes a path a pattern that matches only that path', () => {
  const names = ['notes/[draft] v1 (copy).txt', 'a*b?.json', '{x,y}.md', '!important+@.txt', 'plain.json'];
  const listing = [...names, 'notes/d v1 (copy).txt', 'aXbY.json', 'x.md', 'important.txt'].map(file);
  for (const name of names) {
    expect(paths(selectFiles(listing, { allow: [escapeGlob(name)], allowPickle: false }))).toEqual([name]);
  }
});
