// isCandidate / isSkippedFolder: which names in a drop folder are scans to take in now.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCandidate, isSkippedFolder, MESH_EXTENSIONS } from '../../src/ingest/candidates.js';

describe('isCandidate', () => {
  test('finished mesh and zip exports as scanners name them, any letter case, in subfolders', () => {
    for (const name of [
      'Smith_John_2026-11-20_upper.stl',
      'UpperJaw.STL',
      'OrthoCAD_Export_123456/123456_shell_occlusion_u.stl',
      '123456_lprofile_occlusion_u.ply',
      'Session 4/UpperJaw/Data.obj',
      'case-1234/case-1234-bite0.Ply',
      'scene.gltf',
      'scene.GLB',
      'OrthoCAD_Export_123456.zip',
      'a/b/c/d/e/f/g/h/deep.stl',
    ]) assert.equal(isCandidate(name), true, name);
  });

  test('a name with no extension is a candidate (STL written without one; ingest sniffs it)', () => {
    assert.equal(isCandidate('UpperJaw'), true);
    assert.equal(isCandidate('case 7/LowerJaw'), true);
  });

  test('sidecars and other files are read next to a scan, never taken in on their own', () => {
    for (const name of [
      'UpperJaw/Data.mtl',
      'case-1234/case-1234.dentalProject',
      'scene.bin',
      'patient.json',
      'OrthoCAD_Export_123456/gallery_1.jpg',
      'preview.PNG',
      'notes.txt',
      'Thumbs.db',
      'desktop.ini',
      'upper.stl.bak',
      'ends-with-dot.',
    ]) assert.equal(isCandidate(name), false, name);
  });

  test('names still being written are ignored until renamed to their final name', () => {
    for (const name of [
      'scan.stl.part',
      'scan.stl.PART',
      'scan.stl.partial',
      'scan.stl.crdownload',
      'scan.stl.filepart',
      'scan.stl.download',
      'scan.stl.tmp',
      'scan.stl.temp',
      'scan.tmp',
      'scan.stl~',
      '~$scan.stl',
      '.~lock.scan.stl#',
      '.scan.stl.swp',
      'scan.swp',
    ]) assert.equal(isCandidate(name), false, name);
    assert.equal(isCandidate('scan.stl'), true, 'the same name once renamed');
  });

  test('hidden files and anything in hidden, temp-named or Cusp-named folders are not candidates', () => {
    for (const name of [
      '.upper.stl',
      '.scan.stl.Xa3f9Q',
      '.git/objects/upper.stl',
      'case/.cache/upper.stl',
      'export.partial/upper.stl',
      'quarantine/upper.stl',
      'Quarantine/case/upper.stl',
      'cusp-archive/2026/upper.stl',
      'cusp-data/inbox/upper.stl',
    ]) assert.equal(isCandidate(name), false, name);
  });

  test('a Cusp folder name is only special as a folder, and `.`/empty segments do not hide a file', () => {
    assert.equal(isCandidate('quarantine.stl'), true);
    assert.equal(isCandidate('./case//upper.stl'), true);
    assert.equal(isCandidate(''), false);
  });

  test('MESH_EXTENSIONS lists every format Cusp reads plus zip', () => {
    assert.deepEqual([...MESH_EXTENSIONS].sort(), ['.glb', '.gltf', '.obj', '.ply', '.stl', '.zip']);
  });
});

describe('isSkippedFolder', () => {
  test('the watcher enters ordinary case folders and the folder itself', () => {
    for (const dir of ['', 'OrthoCAD_Export_123456', 'Smith, John/2026-11-20', 'case.v2', 'archive']) assert.equal(isSkippedFolder(dir), false, dir);
  });

  test('it never enters hidden, temp-named or Cusp-named folders, at any depth', () => {
    for (const dir of ['.git', 'case/.thumbnails', 'upload.part', '~$tmp', 'quarantine', 'a/b/CUSP-QUARANTINE', 'cusp-data']) assert.equal(isSkippedFolder(dir), true, dir);
  });
});
