// Run the Khronos glTF validator over bytes Cusp wrote; fail naming the file and the first error.
import assert from 'node:assert/strict';
import validator from 'gltf-validator';

/** Assert that `bytes` (a GLB or a self-contained .gltf) validates with 0 errors. */
export async function assertValidGltf(bytes: Uint8Array, label: string): Promise<void> {
  const report = await validator.validateBytes(new Uint8Array(bytes), { maxIssues: 20 });
  const first = report.issues.messages.find((m) => m.severity === 0);
  assert.equal(report.issues.numErrors, 0, `${label}: ${report.issues.numErrors} glTF validator errors, first ${first?.code} at ${first?.pointer}: ${first?.message}`);
}
