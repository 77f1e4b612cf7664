/* The codec packages the viewer's image loader uses ship no type declarations; these describe what is called. */

/** The decoder classes of cornerstone's Emscripten codec builds share this shape. */
interface WasmFrameDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned?: boolean;
  };
  delete(): void;
}

/** What the Emscripten factories accept: where the codec's log lines go. */
interface EmscriptenModuleOptions {
  print?: (line: string) => void;
  printErr?: (line: string) => void;
}

interface JpegLsDecoder extends WasmFrameDecoder {
  getInterleaveMode(): number;
}

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: (module?: EmscriptenModuleOptions) => Promise<{ JpegLSDecoder: new () => JpegLsDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: (module?: EmscriptenModuleOptions) => Promise<{ J2KDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: (module?: EmscriptenModuleOptions) => Promise<{ JPEGDecoder: new () => WasmFrameDecoder }>;
  export default factory;
}

declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes: number): Uint8Array | Uint16Array;
  }
}
