// Helpers shared by the plain-SVG charts of the standing screen: levels, number format, ids.
import type { Band, Level, Predikat, SkpYear } from '../../gen/ipc';
import { SKP_OLD_SCORE_MINIMA, SKP_PREDIKAT_RANKED } from '../../gen/tables';
import { locale } from '../../i18n/index.svelte';

// An SKP year is drawn as a level 5 (best) .. 1: its rank in the model's IP ASN kinerja tables (best first).

/** The predikat of the 2022+ form as a level 5 (Sangat Baik) .. 1 (Sangat Kurang). */
export function predikatLevel(p: Predikat): number {
  return SKP_PREDIKAT_RANKED.length - SKP_PREDIKAT_RANKED.indexOf(p);
}

/** An old-form (before 2022) numeric SKP score as a level 5 .. 1 by the model's score steps; below all of them 1. */
export function oldScoreLevel(nilai: number): number {
  const step = SKP_OLD_SCORE_MINIMA.findIndex((min) => nilai >= min);
  return step < 0 ? 1 : SKP_OLD_SCORE_MINIMA.length - step;
}

/** The level of one SKP year, or `null` when it carries neither form. */
export function skpLevel(y: SkpYear): number | null {
  if (y.predikat) return predikatLevel(y.predikat);
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

