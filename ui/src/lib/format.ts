import type { Catalog, Profile } from '../gen/ipc';

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

/** A size in bytes as `12 KB` / `1.4 MB`. */
export function fmtSize(bytes: number | bigint): string {
  const n = Number(bytes);
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/** A timestamp as `DD-MM-YYYY HH:MM` in local time (a bare date stays a date). */
export function fmtDateTime(iso: string | null): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return fmtDate(iso);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getDate())}-${p(d.getMonth() + 1)}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
