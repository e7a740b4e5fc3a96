import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { id } from '../i18n/id';
import { locale } from '../i18n/index.svelte';
import {
  ANAK_SPEC,
  CATALOGS,
  GOLONGAN_SPEC,
  SKP_LAMA,
  SKP_LAMA_SPEC,
  anak,
  beranda,
  golongan,
  usulan,
} from '../test/fixtures';
import type { FieldSpec } from '../gen/ipc';
import {
  changedFields,
  display,
  docName,
  fromValues,
  kindLabel,
  label,
  optionLabel,
  profileLabel,
  profileValue,
  recordDetails,
  recordTitle,
  toValues,
  usulanKind,
  usulanSummary,
} from './spec';
import { app } from './store.svelte';

function field(spec: typeof ANAK_SPEC, name: string): FieldSpec {
  const f = spec.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

beforeEach(() => {
  locale.lang = 'id';
  app.specs = [ANAK_SPEC, GOLONGAN_SPEC, SKP_LAMA_SPEC];
  app.beranda = null;
});

afterEach(() => {
  app.specs = [];
});

describe('labels', () => {
  it('follow the language', () => {
    expect(label(ANAK_SPEC)).toBe('Anak');
    locale.lang = 'en';
    expect(label(ANAK_SPEC)).toBe('Children');
    expect(label(field(GOLONGAN_SPEC, 'tmt_golongan'))).toBe('Rank start date');
  });

  it('name a category by its spec, data utama by the catalog, and a kind without spec by itself', () => {
    expect(kindLabel('golongan')).toBe('Golongan');
    expect(kindLabel(null)).toBe(id['kind.owner']);
    expect(kindLabel('cltn')).toBe('cltn');
    app.specs = [];
    expect(kindLabel('golongan')).toBe('golongan');
  });

  it('translate fixed choices and keep unknown ones', () => {
    expect(optionLabel('kandung')).toBe(id['choice.kandung']);
    locale.lang = 'en';
    expect(optionLabel('M')).toBe(en['choice.M']);
    expect(optionLabel('entah')).toBe('entah');
  });
});

describe('display', () => {
  it('shows each input type in its own way', () => {
    const a = anak({ hidup: false });
    expect(display(a, field(ANAK_SPEC, 'nama'), CATALOGS)).toBe('Budi');
    expect(display(a, field(ANAK_SPEC, 'tanggal_lahir'), CATALOGS)).toBe('01-06-2015');
    expect(display(a, field(ANAK_SPEC, 'status_anak'), CATALOGS)).toBe(id['choice.kandung']);
    expect(display(a, field(ANAK_SPEC, 'hidup'), CATALOGS)).toBe(id['form.no']);
    expect(display(anak(), field(ANAK_SPEC, 'hidup'), CATALOGS)).toBe(id['form.yes']);
    const g = golongan();
    expect(display(g, field(GOLONGAN_SPEC, 'golongan_id'), CATALOGS)).toBe('III/a');
    expect(display(g, field(GOLONGAN_SPEC, 'mk_tahun'), CATALOGS)).toBe('4');
  });

  it('shows a dash for no record or an empty value', () => {
    expect(display(null, field(ANAK_SPEC, 'nama'), CATALOGS)).toBe('—');
    expect(display(golongan(), field(GOLONGAN_SPEC, 'jenis_kp_id'), CATALOGS)).toBe('—');
    expect(display(golongan(), field(GOLONGAN_SPEC, 'mk_bulan'), CATALOGS)).toBe('—');
    expect(display(anak({ tempat_lahir: '' }), field(ANAK_SPEC, 'tempat_lahir'), CATALOGS)).toBe('—');
  });

  it('titles a record by its first two fields and details the other filled ones', () => {
    expect(recordTitle(golongan(), GOLONGAN_SPEC, CATALOGS)).toBe('III/a · 01-04-2020');
    expect(recordTitle(golongan(), undefined, CATALOGS)).toBe('golongan');
    expect(recordDetails(golongan(), GOLONGAN_SPEC, CATALOGS)).toEqual([
      ['Nomor SK', '823/2020'],
      ['Tanggal SK', '15-03-2020'],
      ['Masa kerja (tahun)', '4'],
    ]);
    expect(recordDetails(golongan(), undefined, CATALOGS)).toEqual([]);
  });

  it('lists only the fields a proposal changes', () => {
    const rows = changedFields(golongan(), golongan({ golongan_id: '32', mk_tahun: 5 }), GOLONGAN_SPEC, CATALOGS);
    expect(rows).toEqual([
      { name: 'golongan_id', label: 'Golongan', from: 'III/a', to: 'III/b' },
      { name: 'mk_tahun', label: 'Masa kerja (tahun)', from: '4', to: '5' },
    ]);
    // A new record: every filled field is a change, the empty ones (jenis_kp_id, mk_bulan) are not.
    expect(changedFields(null, golongan(), GOLONGAN_SPEC, CATALOGS).map((r) => r.name)).toEqual([
      'golongan_id',
      'tmt_golongan',
      'sk_nomor',
      'sk_tanggal',
      'mk_tahun',
    ]);
  });
});

describe('form values', () => {
  it('start empty for a new record, with checkboxes ticked', () => {
    const v = toValues(ANAK_SPEC, null);
    expect(v['nama']).toBe('');
    expect(v['hidup']).toBe(true);
  });

  it('carry a record as text, with nulls empty and booleans kept', () => {
    const v = toValues(GOLONGAN_SPEC, golongan());
    expect(v).toMatchObject({ golongan_id: '31', mk_tahun: '4', mk_bulan: '', jenis_kp_id: '' });
    expect(toValues(ANAK_SPEC, anak({ hidup: false }))['hidup']).toBe(false);
  });

  it('round-trip a record', () => {
    const data = { kind: 'skp_lama' as const, ...SKP_LAMA };
    expect(fromValues(SKP_LAMA_SPEC, toValues(SKP_LAMA_SPEC, data))).toEqual({ data });
    expect(fromValues(GOLONGAN_SPEC, toValues(GOLONGAN_SPEC, golongan()))).toEqual({ data: golongan() });
  });

  it('trim text, read a decimal comma, and leave empty optional fields null', () => {
    const values = { ...toValues(SKP_LAMA_SPEC, null), tahun: '2020', nilai_skp: ' 87,25 ', nilai_perilaku: '80', nilai_prestasi: '81.5', penilai_nama: '  Ani ' };
    expect(fromValues(SKP_LAMA_SPEC, values)).toEqual({
      data: { kind: 'skp_lama', tahun: 2020, nilai_skp: 87.25, nilai_perilaku: 80, nilai_prestasi: 81.5, penilai_nama: 'Ani' },
    });
  });

  it('name the first required field that is empty', () => {
    const values = { ...toValues(GOLONGAN_SPEC, golongan()), tmt_golongan: '  ', sk_nomor: '' };
    expect(fromValues(GOLONGAN_SPEC, values)).toEqual({
      error: { code: 'field.required', message: '', field: 'record.tmt_golongan' },
    });
  });

  it('refuse a year or integer that is not a whole number, and text as a number', () => {
    const base = toValues(GOLONGAN_SPEC, golongan());
    expect(fromValues(GOLONGAN_SPEC, { ...base, mk_tahun: '4,5' })).toEqual({
      error: { code: 'number.invalid', message: '', field: 'record.mk_tahun' },
    });
    expect(fromValues(GOLONGAN_SPEC, { ...base, mk_bulan: 'dua' })).toEqual({
      error: { code: 'number.invalid', message: '', field: 'record.mk_bulan' },
    });
    const skp = toValues(SKP_LAMA_SPEC, { kind: 'skp_lama', ...SKP_LAMA });
    expect(fromValues(SKP_LAMA_SPEC, { ...skp, tahun: '2019.5' })).toEqual({
      error: { code: 'number.invalid', message: '', field: 'record.tahun' },
    });
  });
});

describe('usulan', () => {
  it('know the kind they concern; data utama has none', () => {
    expect(usulanKind(usulan({ type: 'add_history', data: anak() }))).toBe('anak');
    expect(usulanKind(usulan({ type: 'change_history', record_id: 'r1', data: golongan() }))).toBe('golongan');
    expect(usulanKind(usulan({ type: 'delete_history', record_id: 'r1', kind: 'skp' }))).toBe('skp');
    const owner = { alamat: 'Jl. Merdeka 1', no_hp: null, email: null, npwp: null, bpjs: null };
    expect(usulanKind(usulan({ type: 'change_owner_fields', fields: owner }))).toBeNull();
  });

  it('summarise a history change by the record title', () => {
    expect(usulanSummary(usulan({ type: 'add_history', data: golongan() }), CATALOGS)).toBe('III/a · 01-04-2020');
  });

  it('summarise a deletion by the deleted record, or its id when the beranda does not list it', () => {
    const del = usulan({ type: 'delete_history', record_id: 'r-9', kind: 'golongan' });
    expect(usulanSummary(del, CATALOGS)).toBe('r-9');
    app.beranda = beranda([
      {
        kind: 'golongan',
        items: [{ record: { id: 'r-9', data: golongan(), last_usulan_id: null, siasn_id: null }, pending: [] }],
        pending_additions: [],
        progress: { kind: 'golongan', status: 'complete', official_count: 1, pending_count: 0, reasons: [] },
      },
    ]);
    expect(usulanSummary(del, CATALOGS)).toBe('III/a · 01-04-2020');
  });

  it('summarise a data-utama change by its filled fields, coded ones by name', () => {
    const fields = { nik: null, agama_id: '1', status_kawin_id: '1', tempat_lahir: 'Bogor', gelar_depan: '', gelar_belakang: null };
    const s = usulanSummary(usulan({ type: 'change_verified_fields', fields }), CATALOGS);
    expect(s).toBe(`${id['asn.agama_id']}: Islam · ${profileLabel('status_kawin_id')}: Menikah · ${profileLabel('tempat_lahir')}: Bogor`);
  });
});

describe('data utama and documents', () => {
  it('label a field from the catalog, or by its name when the catalog lacks it', () => {
    expect(profileLabel('agama_id')).toBe(id['asn.agama_id']);
    expect(profileLabel('alamat')).toBe(id['asn.alamat']);
    expect(profileLabel('bukan_field')).toBe('bukan_field');
  });

  it('show coded values by their catalog name and others as they are', () => {
    expect(profileValue('agama_id', '1', CATALOGS)).toBe('Islam');
    expect(profileValue('status_kawin_id', '1', CATALOGS)).toBe('Menikah');
    expect(profileValue('agama_id', '9', CATALOGS)).toBe('9');
    expect(profileValue('tempat_lahir', '1', CATALOGS)).toBe('1');
    expect(profileValue('alamat', null, CATALOGS)).toBe('—');
    expect(profileValue('alamat', '', CATALOGS)).toBe('—');
  });

  it('name a document type from the specs, or by its id', () => {
    expect(docName('858')).toBe('SK Kenaikan Pangkat');
    expect(docName('40')).toBe('Akta Kelahiran');
    expect(docName('999')).toBe('999');
  });
});
