// A small ONNX writer and reader on onnx-proto: initializers, nodes, inputs and outputs, and the
// serialized ModelProto. Byte-for-byte deterministic: the same calls give the same bytes.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;
const AttributeType = onnx.AttributeProto.AttributeType;

/** The element types the zoo's graphs use. */
export type ElementType = 'float32' | 'float16' | 'int8' | 'int32' | 'int64';

const DATA_TYPES: Record<ElementType, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  int8: DataType.INT8,
  int32: DataType.INT32,
  int64: DataType.INT64,
};
const BYTES_PER_ELEMENT: Record<ElementType, number> = {
  float32: 4,
  float16: 2,
  int8: 1,
  int32: 4,
  int64: 8,
};

/** One dimension of a graph input or output: a fixed size or a symbolic name (`'batch'`). */
export type Dimension = number | string;

/** Integer attributes (`axis`, `to`, `keepdims`) and integer-list attributes. */
export type Attributes = Readonly<Record<string, number | readonly number[]>>;

/** Options of {@link GraphBuilder.toBytes}. */
export interface ModelOptions {
  readonly opset: number;
  readonly irVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  /** `metadata_props` of the model, written in key order. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Builds one ONNX graph. Values are named by the caller; {@link GraphBuilder.node} returns its
 * (first) output name so that graphs read top to bottom.
 */
export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly name: string) {}

  /** Declares a graph input. */
  input(name: string, type: ElementType, shape: readonly Dimension[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Declares a graph output (a value some node produces). */
  output(name: string, type: ElementType, shape: readonly Dimension[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /**
   * Adds a constant tensor. `float16` data are bit patterns (see `toFloat16Bits`); `int64` data
   * are plain numbers (safe integers).
   */
  initializer(name: string, type: ElementType, dims: readonly number[], data: ArrayLike<number>): string {
    this.claim(name);
    const count = dims.reduce((product, dimension) => product * dimension, 1);
    if (data.length !== count) {
      throw new Error(`initializer ${name}: ${data.length} values for dims [${dims.join(', ')}]`);
    }
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dataType: DATA_TYPES[type],
        dims: [...dims],
        rawData: encodeRaw(type, data),
      }),
    );
    return name;
  }

  /** An int64 vector constant (axes, starts, shapes). */
  int64(name: string, values: readonly number[]): string {
    return this.initializer(name, 'int64', [values.length], values);
  }

  /** A float32 scalar constant. */
  scalar(name: string, value: number): string {
    return this.initializer(name, 'float32', [], [value]);
  }

  /** Adds a node; returns the name of its first output. */
  node(
    opType: string,
    inputs: readonly string[],
    outputs: string | readonly string[],
    attributes: Attributes = {},
  ): string {
    const outputNames = typeof outputs === 'string' ? [outputs] : [...outputs];
    for (const output of outputNames) this.claim(output);
    this.nodes.push(
      onnx.NodeProto.create({
        name: `${opType}_${this.nodes.length}`,
        opType,
        input: [...inputs],
        output: outputNames,
        attribute: Object.entries(attributes).map(([key, value]) =>
          typeof value === 'number'
            ? onnx.AttributeProto.create({ name: key, type: AttributeType.INT, i: value })
            : onnx.AttributeProto.create({ name: key, type: AttributeType.INTS, ints: [...value] }),
        ),
      }),
    );
    return outputNames[0]!;
  }

  /** Whether a value of that name exists already. */
  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The serialized model. */
  toBytes(options: ModelOptions): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: options.irVersion,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: options.opset })],
      producerName: options.producerName,
      producerVersion: options.producerVersion,
      docString: options.docString ?? '',
      graph: onnx.GraphProto.create({
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      }),
      metadataProps: Object.keys(options.metadata ?? {})
        .sort()
        .map((key) => onnx.StringStringEntryProto.create({ key, value: options.metadata?.[key] ?? '' })),
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`duplicate value name ${name}`);
    this.names.add(name);
  }
}

function valueInfo(
  name: string,
  type: ElementType,
  shape: readonly Dimension[],
): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: DATA_TYPES[type],
        shape: onnx.TensorShapeProto.create({
          dim: shape.map((dimension) =>
            typeof dimension === 'number'
              ? onnx.TensorShapeProto.Dimension.create({ dimValue: dimension })
              : onnx.TensorShapeProto.Dimension.create({ dimParam: dimension }),
          ),
        }),
      }),
    }),
  });
}

/** Little-endian raw bytes, whatever the platform's byte order. */
function encodeRaw(type: ElementType, data: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(data.length * BYTES_PER_ELEMENT[type]);
  const view = new DataView(bytes.buffer);
  for (let index = 0; index < data.length; index++) {
    const value = data[index]!;
    switch (type) {
      case 'float32':
        view.setFloat32(index * 4, value, true);
        break;
      case 'float16':
        view.setUint16(index * 2, value, true);
        break;
      case 'int8':
        view.setInt8(index, value);
        break;
      case 'int32':
        view.setInt32(index * 4, value, true);
        break;
      case 'int64':
        view.setBigInt64(index * 8, BigInt(value), true);
        break;
    }
  }
  return bytes;
}

/** An initializer read back from a model file: numbers as written (fp16 as bit patterns). */
export interface StoredTensor {
  readonly type: ElementType;
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** What {@link readModel} returns: the initializers by name and the metadata properties. */
export interface StoredModel {
  readonly initializers: ReadonlyMap<string, StoredTensor>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly opTypes: readonly string[];
}

/** Parses a model file written by {@link GraphBuilder} (raw-data initializers only). */
export function readModel(bytes: Uint8Array): StoredModel {
  const model = onnx.ModelProto.decode(bytes);
  const initializers = new Map<string, StoredTensor>();
  const typeByCode = new Map(Object.entries(DATA_TYPES).map(([name, code]) => [code, name as ElementType]));
  for (const tensor of model.graph?.initializer ?? []) {
    const type = typeByCode.get(tensor.dataType ?? 0);
    if (!type) throw new Error(`initializer ${tensor.name}: unsupported data type ${tensor.dataType}`);
    const raw = tensor.rawData ?? new Uint8Array();
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const count = raw.byteLength / BYTES_PER_ELEMENT[type];
    const data = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      switch (type) {
        case 'float32':
          data[index] = view.getFloat32(index * 4, true);
          break;
        case 'float16':
          data[index] = view.getUint16(index * 2, true);
          break;
        case 'int8':
          data[index] = view.getInt8(index);
          break;
        case 'int32':
          data[index] = view.getInt32(index * 4, true);
          break;
        case 'int64':
          data[index] = Number(view.getBigInt64(index * 8, true));
          break;
      }
    }
    initializers.set(tensor.name ?? '', { type, dims: (tensor.dims ?? []).map(Number), data });
  }
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) metadata[entry.key ?? ''] = entry.value ?? '';
  return { initializers, metadata, opTypes: (model.graph?.node ?? []).map((node) => node.opType ?? '') };
}
