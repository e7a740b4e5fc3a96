// Helpers shared by the plain-SVG charts of the Kinerja screen: levels, number format, ids.
import type { Band, Level, Predikat, SkpYear } from '../../gen/ipc';
import { locale } from '../../i18n/index.svelte';

/** The predikat of the 2022+ form as a level 1 (Sangat Kurang) .. 5 (Sangat Baik). */
export const PREDIKAT_LEVEL: Record<Predikat, number> = {
  sangat_kurang: 1,
  kurang: 2,
  butuh_perbaikan: 3,
  baik: 4,
  sangat_baik: 5,
};

/** An old-form (before 2022) numeric SKP score as a level 1-5: ≥ 91, ≥ 76, ≥ 61, ≥ 51, else 1 (PP 46/2011 bands). */
export function oldScoreLevel(nilai: number): number {
  if (nilai >= 91) return 5;
  if (nilai >= 76) return 4;
  if (nilai >= 61) return 3;
  if (nilai >= 51) return 2;
  return 1;
}

/** The level of one SKP year, or `null` when it carries neither form. */
export function skpLevel(y: SkpYear): number | null {
  if (y.predikat) return PREDIKAT_LEVEL[y.predikat];
  if (y.nilai_skp !== null) return oldScoreLevel(y.nilai_skp);
  return null;
}

/** Fill colour of a level 1-5 (red … green). */
export function levelColor(level: number): string {
  return ['#b91c1c', '#ea580c', '#d97706', '#2563eb', '#16a34a'][Math.min(5, Math.max(1, level)) - 1] ?? '#6b7280';
}

export const BAND_COLOR: Record<Band, string> = {
  sangat_tinggi: '#166534',
  tinggi: '#15803d',
  sedang: '#b45309',
  rendah: '#c2410c',
  sangat_rendah: '#b91c1c',
};

export const LEVELS: Level[] = ['low', 'medium', 'high'];

/** A number in the reader's language (decimal comma in Indonesian), at most two decimals. */
export function fmtNum(n: number): string {
  return n.toLocaleString(locale.lang === 'en' ? 'en-US' : 'id-ID', { maximumFractionDigits: 2 });
}

