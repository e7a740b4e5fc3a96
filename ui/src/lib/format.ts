import type { Catalog, HistoryData, HistoryKind, LocalUsulan, Profile } from '../gen/ipc';

/** The name of `id` in catalog `name`, or `undefined` when unknown. */
export function catalogName(catalogs: Catalog[], name: string, id: string | null): string | undefined {
  if (id === null) return undefined;
  return catalogs.find((c) => c.name === name)?.entries.find((e) => e.id === id)?.nama;
}

/** `nama` with the code, or the bare code when the catalog does not know it. */
export function codeLabel(catalogs: Catalog[], name: string, id: string | null): string {
  if (id === null || id === '') return '—';
  const n = catalogName(catalogs, name, id);
  return n ? n : id;
}

export function fullName(p: Profile): string {
  let s = '';
  if (p.gelar_depan) s += `${p.gelar_depan} `;
  s += p.nama;
  if (p.gelar_belakang) s += `, ${p.gelar_belakang}`;
  return s;
}

/** ISO date `YYYY-MM-DD` (or a timestamp) as `DD-MM-YYYY`. */
export function fmtDate(iso: string | null): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

/** One line describing a history record. */
export function recordTitle(d: HistoryData, catalogs: Catalog[]): string {
  switch (d.kind) {
    case 'golongan':
      return codeLabel(catalogs, 'golongan', d.golongan_id);
    case 'jabatan':
      return d.jabatan_nama;
    case 'pendidikan':
      return `${codeLabel(catalogs, 'tingkat_pendidikan', d.tingkat_pendidikan_id)} — ${d.pendidikan_nama}`;
  }
}

export function recordSubtitle(d: HistoryData): string {
  switch (d.kind) {
    case 'golongan':
      return `TMT ${fmtDate(d.tmt_golongan)} · SK ${d.sk_nomor}`;
    case 'jabatan':
      return `${d.unor_nama} · TMT ${fmtDate(d.tmt_jabatan)}${d.tmt_selesai ? ` – ${fmtDate(d.tmt_selesai)}` : ''}`;
    case 'pendidikan':
      return `${d.nama_sekolah} · ${d.tahun_lulus}`;
  }
}

/** The history kind a proposal concerns, or `null` for owner fields. */
export function usulanKind(u: LocalUsulan): HistoryKind | null {
  switch (u.action.type) {
    case 'add_history':
    case 'change_history':
      return u.action.data.kind;
    case 'delete_history':
      return u.action.kind;
    case 'change_owner_fields':
      return null;
  }
}

/** A short description of what a proposal asks. */
export function usulanSummary(u: LocalUsulan, catalogs: Catalog[]): string {
  switch (u.action.type) {
    case 'add_history':
    case 'change_history':
      return recordTitle(u.action.data, catalogs);
    case 'delete_history':
      return u.action.record_id;
    case 'change_owner_fields': {
      const f = u.action.fields;
      return [f.alamat, f.no_hp, f.email].filter((x) => x !== null).join(' · ');
    }
  }
}
