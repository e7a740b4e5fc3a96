import { afterEach, describe, expect, it } from 'vitest';
import { locale } from '../../i18n/index.svelte';
import type { SkpYear } from '../../gen/ipc';
import { fmtNum, levelColor, oldScoreLevel, predikatLevel, skpLevel } from './chart';

const year = (over: Partial<SkpYear>): SkpYear => ({
  tahun: 2023,
  predikat: null,
  hasil_kerja: null,
  perilaku_kerja: null,
  nilai_skp: null,
  ...over,
});

afterEach(() => {
  locale.lang = 'id';
});

describe('SKP levels', () => {
  it('rank the predikat from Sangat Kurang (1) to Sangat Baik (5)', () => {
    expect(predikatLevel('sangat_kurang')).toBe(1);
    expect(predikatLevel('kurang')).toBe(2);
    expect(predikatLevel('butuh_perbaikan')).toBe(3);
    expect(predikatLevel('baik')).toBe(4);
    expect(predikatLevel('sangat_baik')).toBe(5);
  });

  it('band an old-form score at 91, 76, 61 and 51', () => {
    expect([100, 91, 90.99, 76, 75, 61, 60, 51, 50.9, 0].map(oldScoreLevel)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    // A negative score (never valid) still draws as the lowest level.
    expect(oldScoreLevel(-1)).toBe(1);
  });

  it('read the 2022+ predikat first, then the old score, else nothing', () => {
    expect(skpLevel(year({ predikat: 'baik', nilai_skp: 55 }))).toBe(4);
    expect(skpLevel(year({ tahun: 2019, nilai_skp: 80 }))).toBe(4);
    expect(skpLevel(year({ tahun: 2019, nilai_skp: 0 }))).toBe(1);
    expect(skpLevel(year({}))).toBeNull();
  });

  it('colour a level red to green, clamping out-of-range levels', () => {
    expect(levelColor(1)).toBe('#b91c1c');
    expect(levelColor(5)).toBe('#16a34a');
    expect(levelColor(0)).toBe(levelColor(1));
    expect(levelColor(9)).toBe(levelColor(5));
  });
});

describe('fmtNum', () => {
  it('writes a decimal comma and dot thousands in Indonesian', () => {
    locale.lang = 'id';
    expect(fmtNum(1234.5)).toBe('1.234,5');
    expect(fmtNum(87.256)).toBe('87,26');
  });

  it('writes a decimal point in English, at most two decimals', () => {
    locale.lang = 'en';
    expect(fmtNum(1234.5)).toBe('1,234.5');
    expect(fmtNum(2 / 3)).toBe('0.67');
    expect(fmtNum(80)).toBe('80');
  });
});
