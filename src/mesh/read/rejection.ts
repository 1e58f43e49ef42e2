/**
 * The one way a reader refuses a file: a CuspError 'mesh_rejected' whose message names the
 * file, says what is wrong and what to do, with `{format, reason}` as details for clients.
 */
import { CuspError } from '../../errors.js';
import type { MeshFormat } from '../mesh.js';

/** Machine-readable reason for a rejection (`details.reason`). */
export type RejectReason =
  | 'empty'
  | 'truncated'
  | 'count_mismatch'
  | 'syntax'
  | 'index_out_of_range'
  | 'non_finite'
  | 'no_triangles'
  | 'unsupported'
  | 'missing_resource'
  | 'invalid_structure'
  | 'too_large'
  | 'unknown_format';

/** Build the rejection error for `format`; `cause` keeps a decoder's own error for logs. */
export function meshRejected(
  format: MeshFormat | 'unknown',
  reason: RejectReason,
  message: string,
  cause?: unknown,
): CuspError {
  return new CuspError('mesh_rejected', message, { cause, details: { format, reason } });
}
