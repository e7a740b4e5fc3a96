import type { HistoryData, HistoryKind } from '../gen/ipc';

export type FieldType = 'text' | 'date' | 'code' | 'year';

export interface FieldSpec {
  name: FieldName;
  type: FieldType;
  /** Catalog of a code field. */
  catalog?: string;
  optional?: boolean;
}

export type FieldName =
  | 'golongan_id'
  | 'tmt_golongan'
  | 'sk_nomor'
  | 'sk_tanggal'
  | 'jenis_jabatan_id'
  | 'jabatan_nama'
  | 'unor_nama'
  | 'eselon_id'
  | 'tmt_jabatan'
  | 'tmt_selesai'
  | 'tingkat_pendidikan_id'
  | 'pendidikan_nama'
  | 'nama_sekolah'
  | 'tahun_lulus'
  | 'nomor_ijazah';

/** The form fields of each `HistoryData` variant, in display order. */
export const FIELDS: Record<HistoryKind, FieldSpec[]> = {
  golongan: [
    { name: 'golongan_id', type: 'code', catalog: 'golongan' },
    { name: 'tmt_golongan', type: 'date' },
    { name: 'sk_nomor', type: 'text' },
    { name: 'sk_tanggal', type: 'date' },
  ],
  jabatan: [
    { name: 'jenis_jabatan_id', type: 'code', catalog: 'jenis_jabatan' },
    { name: 'jabatan_nama', type: 'text' },
    { name: 'unor_nama', type: 'text' },
    { name: 'eselon_id', type: 'code', catalog: 'eselon', optional: true },
    { name: 'tmt_jabatan', type: 'date' },
    { name: 'tmt_selesai', type: 'date', optional: true },
    { name: 'sk_nomor', type: 'text' },
    { name: 'sk_tanggal', type: 'date' },
  ],
  pendidikan: [
    { name: 'tingkat_pendidikan_id', type: 'code', catalog: 'tingkat_pendidikan' },
    { name: 'pendidikan_nama', type: 'text' },
    { name: 'nama_sekolah', type: 'text' },
    { name: 'tahun_lulus', type: 'year' },
    { name: 'nomor_ijazah', type: 'text' },
  ],
};

export type FormValues = Partial<Record<FieldName, string>>;

/** The form values of a record. */
export function toValues(d: HistoryData): FormValues {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(d)) {
    if (k !== 'kind') out[k as FieldName] = v === null ? '' : String(v);
  }
  return out;
}

const opt = (s: string | undefined): string | null => (s && s.trim() !== '' ? s.trim() : null);
const req = (s: string | undefined): string => (s ?? '').trim();

/** The record a form describes. Empty optional fields become `null`; the core validates the rest. */
export function fromValues(kind: HistoryKind, v: FormValues): HistoryData {
  switch (kind) {
    case 'golongan':
      return {
        kind,
        golongan_id: req(v.golongan_id),
        tmt_golongan: req(v.tmt_golongan),
        sk_nomor: req(v.sk_nomor),
        sk_tanggal: req(v.sk_tanggal),
      };
    case 'jabatan':
      return {
        kind,
        jenis_jabatan_id: req(v.jenis_jabatan_id),
        jabatan_nama: req(v.jabatan_nama),
        unor_nama: req(v.unor_nama),
        eselon_id: opt(v.eselon_id),
        tmt_jabatan: req(v.tmt_jabatan),
        tmt_selesai: opt(v.tmt_selesai),
        sk_nomor: req(v.sk_nomor),
        sk_tanggal: req(v.sk_tanggal),
      };
    case 'pendidikan':
      return {
        kind,
        tingkat_pendidikan_id: req(v.tingkat_pendidikan_id),
        pendidikan_nama: req(v.pendidikan_nama),
        nama_sekolah: req(v.nama_sekolah),
        tahun_lulus: Number.parseInt(req(v.tahun_lulus), 10) || 0,
        nomor_ijazah: req(v.nomor_ijazah),
      };
  }
}
