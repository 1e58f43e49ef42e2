/**
 * What the analysis workers send back: reports (JSON, stored per scan and kind) and
 * artifacts (files: PNG pictures, GLB previews), whose buffers are transferred.
 */
export interface ArtifactOut {
  kind: string;
  mediaType: string;
  bytes: ArrayBuffer;
  meta: Record<string, unknown>;
}

export interface AnalysisResult {
  reports: Record<string, unknown>;
  artifacts: ArtifactOut[];
}

/** `bytes` in an ArrayBuffer of its own (a view's buffer may be shared or larger). */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

/** The transfer list of a result. */
export function resultTransfer(result: AnalysisResult): ArrayBuffer[] {
  return result.artifacts.map((a) => a.bytes);
}
