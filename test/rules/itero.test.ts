// iTero / OrthoCAD export names: order id → the scan's order and case (not a person's id), _u/_l → jaw.
import { describe } from 'node:test';
import { checkRows, id, type Row } from './table.js';

const order = (value: string) => ({ orderId: { system: 'itero-order', value } });
const itero = (value: string, jaw: 'upper' | 'lower') => id({ patient: order(value), jaw, scanner: 'itero', rule: 'itero', caseId: value });

const ROWS: Row[] = [
  { path: 'OrthoCAD_Export_76392642/76392642_shell_occlusion_u.stl', identity: itero('76392642', 'upper') },
  { path: 'OrthoCAD_Export_76392642 (4)/76392642_shell_occlusion_l.stl', identity: itero('76392642', 'lower'), note: 'browser duplicate suffix' },
  { path: '30986617_shell_occlusion_l.stl', identity: itero('30986617', 'lower'), note: 'flat, no export folder' },
  { path: 'iTero_Export_275588435/275588435_shell_teethup_u.stl', identity: itero('275588435', 'upper') },
  { path: 'OrthoCAD_Export_20150474/20150474_lprofile_occlusion_u.ply', identity: itero('20150474', 'upper') },
  { path: '43074710_SHELL_OCCLUSION_L.STL', identity: itero('43074710', 'lower'), note: 'upper-case name' },
  { path: 'Downloads/OrthoCAD_Export_308113407/308113407_shell_occlusion_l.ply', identity: itero('308113407', 'lower'), note: 'deeper folder' },
  { path: 'OrthoCAD_Export_156502001/Unterkiefer.stl', identity: itero('156502001', 'lower'), note: 'order id from the folder, German jaw word' },
  { path: 'orthocad export 156502001/156502001_shell_occlusion_u.obj', identity: itero('156502001', 'upper'), note: 'spaces, lower case' },
  {
    path: 'Dupont_Marie/156502001_shell_occlusion_u.stl',
    layout: 'patient-subfolder',
    identity: id({ patient: { lastName: 'Dupont', firstName: 'Marie', ...order('156502001') }, jaw: 'upper', scanner: 'itero', rule: 'itero', caseId: '156502001' }),
    note: 'patient folder plus order id',
  },
  { path: 'UpperJaw.stl', identity: id({ jaw: 'upper', rule: 'none' }), note: 'not iTero: unassigned, jaw from words' },
  { path: 'gallery_#76392642_penta_front_m.stl', identity: id({ rule: 'none' }), note: 'not an iTero scan name' },
];

describe('itero preset', () => checkRows('itero', ROWS));
describe('generic finds iTero names', () => checkRows('generic', ROWS.slice(0, 9)));
