/**
 * The GDPR export of one patient (Art. 15 access, Art. 20 portability): a zip with
 * `patient.json` (the person, visits, scans with their reports and notes, photos), every
 * scan's original bytes and the sibling files it came with, derived files, every photo as
 * it arrived with its thumbnail, and the audit events about the patient — what a clinic
 * hands over when a patient asks what it keeps.
 *
 * The zip is produced as a stream (fflate's streaming Zip), one blob chunk at a time, so a
 * patient with gigabytes of scans never sits in memory. Mesh bytes are stored, not
 * compressed: deflating them would hold the event loop for seconds and save little.
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate';
import { eventsAbout } from '../audit/query.js';
import type { AnnotationRow } from '../store/annotations.js';
import type { Patient } from '../store/patients.js';
import type { Scan } from '../store/scans.js';
import type { Store } from '../store/store.js';
import { scansOf } from './erase.js';

export interface ExportMeta {
  instanceId: string;
  version: string;
  now?: Date;
}

/** A name safe as one zip path segment: no separators, no leading dots, no control characters. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/^[.\s]+/, '').slice(0, 120);
  return cleaned === '' ? '_' : cleaned;
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

function annotationsOf(store: Store, scans: Scan[], visitIds: number[]): AnnotationRow[] {
  return store.annotations.rowsFor(scans.map((s) => s.id), visitIds);
}

/** What goes into the zip, decided up front (all reads before the first byte is sent). */
function plan(store: Store, patient: Patient, meta: ExportMeta) {
  const scans = scansOf(store, patient.id);
  const visits = store.visits.recordsOf(patient.id);
  const visitDate = new Map(visits.map((v) => [v.id, v.date]));
  const files: Array<{ path: string; blob: string } | { path: string; text: string }> = [];
  const scanEntries = scans.map((scan) => {
    const dir = `scans/${scan.uid}`;
    const original = `${dir}/original/${safeSegment(baseName(scan.originalName))}`;
    files.push({ path: original, blob: scan.sha256 });
    const artifacts = store.artifacts.forScan(scan.id).map((a) => {
      const sibling = a.kind.startsWith('source:');
      const path = sibling
        ? `${dir}/siblings/${a.kind.slice('source:'.length).split('/').map(safeSegment).join('/')}`
        : `${dir}/derived/${safeSegment(a.kind)}`;
      files.push({ path, blob: a.blobHash });
      return { kind: a.kind, mediaType: a.mediaType, file: path, createdAt: a.createdAt };
    });
    const reports = store.reports.forScan(scan.id).map((r) => {
      const path = `${dir}/reports/${safeSegment(r.kind)}.json`;
      files.push({ path, text: `${JSON.stringify(r.body, null, 2)}\n` });
      return { kind: r.kind, version: r.version, file: path, createdAt: r.createdAt };
    });
    return {
      uid: scan.uid, jaw: scan.jaw, capturedAt: scan.capturedAt, receivedAt: scan.receivedAt, visit: scan.visitId === null ? null : visitDate.get(scan.visitId) ?? null,
      status: scan.status, verdict: scan.verdict, reason: scan.reason, format: scan.format, size: scan.size, sha256: scan.sha256, version: scan.version,
      source: { folder: scan.sourceFolder, originalName: scan.originalName, scanner: scan.scanner },
      arrivals: store.scans.arrivals(scan.id), file: original, artifacts, reports,
    };
  });
  // Photos: the original exactly as it arrived (the patient's own data, EXIF included) and
  // its thumbnail; the figures Cusp measured in patient.json.
  const imageEntries = store.images.forPatient(patient.id).map((image) => {
    const dir = `images/${image.uid}`;
    const original = `${dir}/original/${safeSegment(baseName(image.originalName))}`;
    files.push({ path: original, blob: image.sha256 });
    const thumbnail = image.thumbnailHash ? `${dir}/thumbnail.jpg` : null;
    if (thumbnail) files.push({ path: thumbnail, blob: image.thumbnailHash! });
    return {
      uid: image.uid, kind: image.kind, visit: image.visitId === null ? null : visitDate.get(image.visitId) ?? null,
      scan: image.scanId === null ? null : store.scans.uidOf(image.scanId) ?? null, mediaType: image.mediaType, size: image.size, sha256: image.sha256,
      capturedAt: image.capturedAt, capturedAtSource: image.capturedAtSource, camera: { make: image.cameraMake, model: image.cameraModel },
      width: image.width, height: image.height, status: image.status, quality: image.quality, receivedAt: image.receivedAt,
      source: { folder: image.sourceFolder, originalName: image.originalName }, file: original, thumbnail,
    };
  });
  const annotations = annotationsOf(store, scans, visits.map((v) => v.id)).map((a) => ({
    scan: scans.find((s) => s.id === a.scan_id)?.uid ?? null, visit: a.visit_id === null ? null : visitDate.get(a.visit_id) ?? null,
    tag: a.tag, value: a.value, note: a.note, by: a.principal_id === null ? null : `principal:${a.principal_id}`, at: a.created_at,
  }));
  const events = [...eventsAbout(store.auditEvents, patient.pseudoId, scans.map((s) => s.uid))];
  const document = {
    exportedAt: (meta.now ?? new Date()).toISOString(),
    exportedBy: { software: 'cusp', version: meta.version, instance: meta.instanceId },
    patient: {
      id: patient.pseudoId, lastName: patient.lastName, firstName: patient.firstName, birthDate: patient.birthDate,
      externalIds: patient.externalIds, legalHold: patient.legalHold, createdAt: patient.createdAt, updatedAt: patient.updatedAt,
    },
    visits: visits.map((v) => ({
      date: v.date, title: v.title, createdAt: v.created_at,
      review: { state: v.review_state, by: v.reviewed_by, at: v.reviewed_at, note: v.review_note },
    })),
    scans: scanEntries,
    images: imageEntries,
    annotations,
    auditEvents: { file: 'audit-events.ndjson', count: events.length },
  };
  files.unshift({ path: 'patient.json', text: `${JSON.stringify(document, null, 2)}\n` });
  files.push({ path: 'audit-events.ndjson', text: events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : '') });
  files.push({ path: 'README.txt', text: README });
  return { files, scans: scans.length, images: imageEntries.length, events: events.length };
}

const README = `This archive holds everything Cusp keeps about one patient.

patient.json          the patient, visits, scans (with reports and notes) and photos as JSON
scans/<id>/           each scan exactly as the scanner wrote it, with the files it came
                      with (siblings/), derived files (derived/) and reports (reports/)
images/<id>/          each photo exactly as it arrived (original/) and its thumbnail
audit-events.ndjson   every recorded access to and change of these records, one JSON
                      event per line (who, what, when; pseudonymous ids only)

The mesh files open in any 3D viewer that reads STL, PLY, OBJ or glTF; the photos in any
image viewer (JPEG, PNG; HEIC on recent systems).
`;

/**
 * The export of a patient: how many scans and events it holds, and the zip as chunks.
 * All database reads happen before the first chunk: the stream then reads blob chunks by
 * key, one statement each, and never holds a cursor open across awaits (a better-sqlite3
 * connection with an open iterator refuses every other statement).
 */
export function patientExport(store: Store, patient: Patient, meta: ExportMeta): { scans: number; images: number; events: number; chunks: AsyncGenerator<Uint8Array> } {
  const p = plan(store, patient, meta);
  const mtime = meta.now ?? new Date();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const out: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new Zip((err, data) => {
      if (err) failure = err;
      else out.push(data);
    });
    const drain = function* () {
      if (failure) throw failure;
      while (out.length > 0) yield out.shift()!;
    };
    for (const file of p.files) {
      if ('text' in file) {
        const entry = new ZipDeflate(file.path, { level: 6 });
        entry.mtime = mtime;
        zip.add(entry);
        entry.push(strToU8(file.text), true);
        yield* drain();
        continue;
      }
      const entry = new ZipPassThrough(file.path);
      entry.mtime = mtime;
      zip.add(entry);
      // A chunk per turn of the event loop (the blob store's stream), so other requests run
      // between chunks of a large export; each chunk is checked against its hash.
      const data = store.blobs.stream(file.blob);
      if (!data) throw new Error(`the bytes of ${file.path} are missing from the store`);
      for await (const chunk of data) {
        entry.push(chunk);
        yield* drain();
      }
      entry.push(new Uint8Array(0), true);
      yield* drain();
    }
    zip.end();
    yield* drain();
  }
  return { scans: p.scans, images: p.images, events: p.events, chunks: chunks() };
}
