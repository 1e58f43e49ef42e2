/**
 * Which rows name a blob. The blob store keeps bytes by hash and knows nothing of scans or
 * images; this is the index side's answer to "may these bytes go?".
 */
import type { Db } from './database.js';

export class BlobReferenceRepository {
  readonly #named;

  constructor(db: Db) {
    this.#named = db.prepare<[{ h: string }], { n: number }>(`SELECT (SELECT count(*) FROM scans WHERE sha256 = @h)
      + (SELECT count(*) FROM artifacts WHERE blob_hash = @h)
      + (SELECT count(*) FROM images WHERE sha256 = @h OR thumbnail_hash = @h OR served_hash = @h) AS n`);
  }

  /** Whether a scan, an artifact or an image (original, thumbnail or served copy) names the blob. */
  namesBlob(hash: string): boolean {
    return this.#named.get({ h: hash })!.n > 0;
  }
}
