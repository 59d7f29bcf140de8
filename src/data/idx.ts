/**
 * IDX files (the MNIST / Fashion-MNIST format, http://yann.lecun.com/exdb/mnist/): a 4-byte magic
 * `0x00 0x00 <type> <ndims>`, then `ndims` big-endian uint32 dimension sizes, then the elements,
 * big-endian, row-major. Raw or gzipped (detected by the gzip magic bytes 0x1f 0x8b).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** The IDX element types, by their type byte. */
export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxTensor {
  type: IdxType;
  shape: number[];
  /** The elements, row-major, in the platform's byte order (ubyte: a view of the decoded bytes, no copy). */
  data: IdxArray;
}

export interface IdxReadOptions {
  /** Throw unless the file holds this element type. */
  expectType?: IdxType;
  /** Throw unless the file has this many dimensions (e.g. 3 for images, 1 for labels). */
  expectRank?: number;
  /** A name for error messages (the path, when reading a file). */
  source?: string;
}

interface TypeInfo {
  code: number;
  name: IdxType;
  bytes: number;
  read: (view: DataView, offset: number) => number; // big-endian
  make: (n: number) => IdxArray;
}

const TYPES: TypeInfo[] = [
  { code: 0x08, name: 'ubyte', bytes: 1, read: (v, o) => v.getUint8(o), make: (n) => new Uint8Array(n) },
  { code: 0x09, name: 'byte', bytes: 1, read: (v, o) => v.getInt8(o), make: (n) => new Int8Array(n) },
  { code: 0x0b, name: 'short', bytes: 2, read: (v, o) => v.getInt16(o, false), make: (n) => new Int16Array(n) },
  { code: 0x0c, name: 'int', bytes: 4, read: (v, o) => v.getInt32(o, false), make: (n) => new Int32Array(n) },
  { code: 0x0d, name: 'float', bytes: 4, read: (v, o) => v.getFloat32(o, false), make: (n) => new Float32Array(n) },
  { code: 0x0e, name: 'double', bytes: 8, read: (v, o) => v.getFloat64(o, false), make: (n) => new Float64Array(n) },
];
const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));
const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));

const SUPPORTED = TYPES.map((t) => `0x${hex2(t.code)} ${t.name}`).join(', ');

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function hexMagic(magic: number): string {
  return `0x${(magic >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function describeMagic(typeCode: number, rank: number): string {
  const t = BY_CODE.get(typeCode);
  return `${hexMagic((typeCode << 8) | rank)} (${t ? t.name : `type 0x${hex2(typeCode)}`}, ${rank} dimension${rank === 1 ? '' : 's'})`;
}

/** True when the bytes start with the gzip magic 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses IDX bytes (raw or gzipped). */
export function parseIdx(input: Uint8Array, options: IdxReadOptions = {}): IdxTensor {
  const where = `IDX ${options.source ?? '(buffer)'}`;
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${where}: gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  if (bytes.length < 4) {
    throw new Error(`${where}: truncated: the 4-byte magic number needs 4 bytes, the file has ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const typeCode = bytes[2];
  const rank = bytes[3];
  const expectedMagic = (): string => {
    const t = options.expectType ? BY_NAME.get(options.expectType) : undefined;
    if (t && options.expectRank !== undefined) return describeMagic(t.code, options.expectRank);
    return `0x0000TTDD (TT: element type, one of ${SUPPORTED}; DD: number of dimensions), e.g. 0x00000803 for images, 0x00000801 for labels`;
  };
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${where}: not an IDX file: wrong magic number ${hexMagic(magic)}, expected ${expectedMagic()}`);
  }
  const info = BY_CODE.get(typeCode);
  if (!info) {
    throw new Error(`${where}: unsupported element type 0x${hex2(typeCode)} (magic ${hexMagic(magic)}); supported types: ${SUPPORTED}`);
  }
  if (options.expectType !== undefined && options.expectType !== info.name) {
    const want = BY_NAME.get(options.expectType);
    if (!want) throw new TypeError(`${where}: expectType must be one of ${[...BY_NAME.keys()].join(', ')}, got ${options.expectType}`);
    throw new Error(`${where}: wrong magic number ${describeMagic(typeCode, rank)}, expected ${describeMagic(want.code, options.expectRank ?? rank)}: the elements are ${info.name}, expected ${want.name}`);
  }
  if (options.expectRank !== undefined && options.expectRank !== rank) {
    throw new Error(`${where}: dimension count mismatch: the file has ${rank} dimension${rank === 1 ? '' : 's'} (magic ${describeMagic(typeCode, rank)}), expected ${options.expectRank} (magic ${describeMagic(typeCode, options.expectRank)})`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`${where}: truncated: the header of ${rank} dimension${rank === 1 ? '' : 's'} needs ${headerBytes} bytes, the file has ${bytes.length}`);
  }
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expectedBytes = headerBytes + count * info.bytes;
  if (bytes.length < expectedBytes) {
    throw new Error(`${where}: truncated: shape [${shape.join(', ')}] of ${info.name} (${info.bytes} byte${info.bytes === 1 ? '' : 's'} each) needs ${expectedBytes} bytes (${headerBytes} header + ${count * info.bytes} data), the file has ${bytes.length} (${expectedBytes - bytes.length} missing)`);
  }
  if (bytes.length > expectedBytes) {
    throw new Error(`${where}: ${bytes.length - expectedBytes} unexpected trailing bytes: shape [${shape.join(', ')}] of ${info.name} needs ${expectedBytes} bytes, the file has ${bytes.length}`);
  }
  let data: IdxArray;
  if (info.bytes === 1) {
    data = info.name === 'ubyte'
      ? new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, count)
      : new Int8Array(bytes.buffer, bytes.byteOffset + headerBytes, count);
  } else {
    data = info.make(count);
    for (let i = 0, o = headerBytes; i < count; i++, o += info.bytes) data[i] = info.read(view, o);
  }
  return { type: info.name, shape, data };
}

/** Reads an IDX file (raw or gzipped). */
export function readIdx(path: string, options: Omit<IdxReadOptions, 'source'> = {}): IdxTensor {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`IDX ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseIdx(bytes, { ...options, source: path });
}
