import { describe, expect, it } from 'vitest';
import type { Catalog, Profile } from '../gen/ipc';
import { catalogName, codeLabel, fmtDate, fmtDateTime, fmtSize, fullName } from './format';

const catalogs: Catalog[] = [
  { name: 'agama', entries: [{ id: '1', nama: 'Islam' }, { id: '2', nama: 'Kristen' }] },
  { name: 'kawin', entries: [{ id: '1', nama: 'Menikah' }] },
];

describe('catalog names', () => {
  it('finds an entry by catalog and id', () => {
    expect(catalogName(catalogs, 'agama', '2')).toBe('Kristen');
    expect(catalogName(catalogs, 'kawin', '1')).toBe('Menikah');
  });

  it('knows nothing of an unknown catalog, id or a missing value', () => {
    expect(catalogName(catalogs, 'agama', '9')).toBeUndefined();
    expect(catalogName(catalogs, 'golongan', '1')).toBeUndefined();
    expect(catalogName(catalogs, 'agama', null)).toBeUndefined();
  });

  it('labels a code by its name, falls back to the bare code, and shows a dash for no value', () => {
    expect(codeLabel(catalogs, 'agama', '1')).toBe('Islam');
    expect(codeLabel(catalogs, 'agama', '77')).toBe('77');
    expect(codeLabel(catalogs, 'agama', null)).toBe('—');
    expect(codeLabel(catalogs, 'agama', '')).toBe('—');
  });
});

describe('fullName', () => {
  const base = { nama: 'Siti Aminah', gelar_depan: null, gelar_belakang: null } as Profile;

  it('puts the front title before and the back title after a comma', () => {
    expect(fullName({ ...base, gelar_depan: 'Dr.', gelar_belakang: 'S.E., M.Si.' })).toBe('Dr. Siti Aminah, S.E., M.Si.');
  });

  it('is the bare name without titles', () => {
    expect(fullName(base)).toBe('Siti Aminah');
    expect(fullName({ ...base, gelar_depan: '', gelar_belakang: '' })).toBe('Siti Aminah');
  });
});

describe('fmtDate', () => {
  it('turns an ISO date or the date part of a timestamp into DD-MM-YYYY', () => {
    expect(fmtDate('2024-03-05')).toBe('05-03-2024');
    expect(fmtDate('1990-12-31T23:59:00Z')).toBe('31-12-1990');
  });

  it('shows a dash for no date and leaves anything else as it is', () => {
    expect(fmtDate(null)).toBe('—');
    expect(fmtDate('')).toBe('—');
    expect(fmtDate('5 Maret 2024')).toBe('5 Maret 2024');
  });
});

describe('fmtSize', () => {
  it('shows kilobytes below a megabyte, never 0 KB', () => {
    expect(fmtSize(0)).toBe('1 KB');
    expect(fmtSize(100)).toBe('1 KB');
    expect(fmtSize(12 * 1024)).toBe('12 KB');
    expect(fmtSize(1024 * 1024 - 1)).toBe('1024 KB');
  });

  it('shows megabytes with one decimal, also for a bigint', () => {
    expect(fmtSize(1024 * 1024)).toBe('1.0 MB');
    expect(fmtSize(1.4 * 1024 * 1024)).toBe('1.4 MB');
    expect(fmtSize(10n * 1024n * 1024n)).toBe('10.0 MB');
  });
});

describe('fmtDateTime', () => {
  it('shows a timestamp as DD-MM-YYYY HH:MM in local time', () => {
    // No offset: read as local time, so the expectation holds in every time zone.
    expect(fmtDateTime('2024-03-05T07:08:09')).toBe('05-03-2024 07:08');
  });

  it('converts an offset timestamp into local time', () => {
    const d = new Date('2024-03-05T07:08:00Z');
    const p = (n: number) => String(n).padStart(2, '0');
    const local = `${p(d.getDate())}-${p(d.getMonth() + 1)}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
    expect(fmtDateTime('2024-03-05T07:08:00Z')).toBe(local);
  });

  it('keeps a bare date a date, and an unreadable value as it is', () => {
    expect(fmtDateTime('2024-03-05')).toBe('05-03-2024');
    expect(fmtDateTime('kemarin')).toBe('kemarin');
    expect(fmtDateTime(null)).toBe('—');
  });
});
