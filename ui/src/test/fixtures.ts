// Test data shaped like what the core sends: category specs as the model's `forms.rs` writes them, records,
// proposals and notifications. Only the unit tests import this file.
import type {
  Anak,
  Beranda,
  Catalog,
  CategorySpec,
  FieldInput,
  FieldSpec,
  Golongan,
  HistoryData,
  HistoryList,
  LocalReviewItem,
  LocalUsulan,
  Notification,
  SkpLama,
  UsulanAction,
} from '../gen/ipc';

function f(name: string, input: FieldInput, required: boolean, label_id: string, label_en: string): FieldSpec {
  return { name, input, required, label_id, label_en };
}

export const ANAK_SPEC: CategorySpec = {
  kind: 'anak',
  jenis_riwayat_id: '13',
  label_id: 'Anak',
  label_en: 'Children',
  asn_may_propose: true,
  needs_confirmation: true,
  max_changes_per_record: null,
  documents: [{ dokumen_id: '40', nama: 'Akta Kelahiran', mandatory: true, allow_jpeg: true }],
  fields: [
    f('nama', { type: 'text' }, true, 'Nama', 'Name'),
    f('tempat_lahir', { type: 'text' }, true, 'Tempat lahir', 'Place of birth'),
    f('tanggal_lahir', { type: 'date' }, true, 'Tanggal lahir', 'Date of birth'),
    f('jenis_kelamin', { type: 'choice', options: ['M', 'F'] }, true, 'Jenis kelamin', 'Gender'),
    f('nomor_akta_kelahiran', { type: 'text' }, true, 'Nomor akta kelahiran', 'Birth certificate number'),
    f('status_anak', { type: 'choice', options: ['kandung', 'tiri', 'angkat'] }, true, 'Status anak', 'Child status'),
    f('hidup', { type: 'bool' }, true, 'Masih hidup', 'Living'),
  ],
};

export const GOLONGAN_SPEC: CategorySpec = {
  kind: 'golongan',
  jenis_riwayat_id: '2',
  label_id: 'Golongan',
  label_en: 'Rank',
  asn_may_propose: true,
  needs_confirmation: false,
  max_changes_per_record: 1,
  documents: [{ dokumen_id: '858', nama: 'SK Kenaikan Pangkat', mandatory: true, allow_jpeg: false }],
  fields: [
    f('golongan_id', { type: 'code', catalog: 'golongan' }, true, 'Golongan', 'Rank'),
    f('tmt_golongan', { type: 'date' }, true, 'TMT golongan', 'Rank start date'),
    f('sk_nomor', { type: 'text' }, true, 'Nomor SK', 'Decree number'),
    f('sk_tanggal', { type: 'date' }, true, 'Tanggal SK', 'Decree date'),
    f('jenis_kp_id', { type: 'code', catalog: 'jenis_kp' }, false, 'Jenis kenaikan pangkat', 'Promotion type'),
    f('mk_tahun', { type: 'integer' }, false, 'Masa kerja (tahun)', 'Service (years)'),
    f('mk_bulan', { type: 'integer' }, false, 'Masa kerja (bulan)', 'Service (months)'),
  ],
};

export const SKP_LAMA_SPEC: CategorySpec = {
  kind: 'skp_lama',
  jenis_riwayat_id: '26',
  label_id: 'SKP (format lama)',
  label_en: 'Performance (old form)',
  asn_may_propose: true,
  needs_confirmation: false,
  max_changes_per_record: null,
  documents: [],
  fields: [
    f('tahun', { type: 'year' }, true, 'Tahun', 'Year'),
    f('nilai_skp', { type: 'decimal' }, true, 'Nilai SKP', 'SKP score'),
    f('nilai_perilaku', { type: 'decimal' }, true, 'Nilai perilaku', 'Behaviour score'),
    f('nilai_prestasi', { type: 'decimal' }, true, 'Nilai prestasi', 'Achievement score'),
    f('penilai_nama', { type: 'text' }, true, 'Nama penilai', 'Appraiser'),
  ],
};

export const CATALOGS: Catalog[] = [
  { name: 'golongan', entries: [{ id: '31', nama: 'III/a' }, { id: '32', nama: 'III/b' }] },
  { name: 'jenis_kp', entries: [{ id: '101', nama: 'Reguler' }] },
  { name: 'agama', entries: [{ id: '1', nama: 'Islam' }] },
  { name: 'kawin', entries: [{ id: '1', nama: 'Menikah' }] },
];

export const ANAK: Anak = {
  nama: 'Budi',
  tempat_lahir: 'Bandung',
  tanggal_lahir: '2015-06-01',
  jenis_kelamin: 'M',
  nomor_akta_kelahiran: 'AL-123',
  status_anak: 'kandung',
  hidup: true,
};

export const GOLONGAN: Golongan = {
  golongan_id: '31',
  tmt_golongan: '2020-04-01',
  sk_nomor: '823/2020',
  sk_tanggal: '2020-03-15',
  jenis_kp_id: null,
  mk_tahun: 4,
  mk_bulan: null,
};

export const SKP_LAMA: SkpLama = { tahun: 2019, nilai_skp: 88.5, nilai_perilaku: 80, nilai_prestasi: 85.2, penilai_nama: 'Ani' };

export function anak(over: Partial<Anak> = {}): HistoryData {
  return { kind: 'anak', ...ANAK, ...over };
}

export function golongan(over: Partial<Golongan> = {}): HistoryData {
  return { kind: 'golongan', ...GOLONGAN, ...over };
}

export function usulan(action: UsulanAction, over: Partial<LocalUsulan> = {}): LocalUsulan {
  return {
    id: 'u-1',
    action,
    state: 'submitted',
    reason: null,
    refusal: null,
    created_at: '2024-05-01T08:00:00Z',
    events: [],
    documents: [],
    documents_waiting: 0,
    ...over,
  };
}

export function reviewItem(action: UsulanAction, over: Partial<LocalReviewItem> = {}): LocalReviewItem {
  const u = usulan(action);
  return {
    item: {
      usulan: { ...u, nip: '198501012010011001', updated_at: u.created_at },
      asn_nama: 'Siti Aminah',
      unor_nama: 'Bagian Umum',
      deadline: null,
      official: null,
      base: null,
    },
    decision: null,
    checks: [],
    gone: false,
    ...over,
  };
}

export function notification(over: Partial<Notification> = {}): Notification {
  return {
    id: 'n-1',
    kind: 'announcement',
    usulan_id: null,
    state: null,
    history_kind: null,
    reason: null,
    title: null,
    body: null,
    service: null,
    due_date: null,
    lead_months: null,
    layanan: null,
    stage: null,
    account_event: null,
    created_at: '2024-05-01T08:00:00Z',
    read: true,
    ...over,
  };
}

export function beranda(histories: HistoryList[]): Beranda {
  return {
    user: { nip: '198501012010011001', nama: 'Siti Aminah', instansi_id: 'A1', roles: ['asn'] },
    profile: null,
    pending_owner: [],
    pending_verified: [],
    complete_categories: 0,
    total_categories: 18,
    histories,
    usulan: [],
    unread_notifications: 0,
    catalogs: [],
    review_waiting: 0,
  };
}
