import { describe, expect, it } from 'vitest';
import { CATALOGS, GOLONGAN_SPEC, anak, golongan, reviewItem } from '../test/fixtures';
import type { PendingDecision, Role, UsulanState } from '../gen/ipc';
import { actionKind, allowedDecisions, compareRows, decisionStatus, proposedData } from './review';

describe('allowedDecisions', () => {
  it('gives the verifier the steps of a submitted proposal', () => {
    expect(allowedDecisions('submitted', ['verifikator'])).toEqual(['verify', 'return', 'reject']);
    expect(allowedDecisions('submitted', ['approver'])).toEqual([]);
  });

  it('gives the approver the steps of a verified proposal', () => {
    expect(allowedDecisions('verified', ['approver'])).toEqual(['approve', 'return', 'reject']);
    expect(allowedDecisions('verified', ['verifikator'])).toEqual([]);
  });

  it('gives a holder of both roles the step of the current state only', () => {
    expect(allowedDecisions('submitted', ['verifikator', 'approver'])).toEqual(['verify', 'return', 'reject']);
    expect(allowedDecisions('verified', ['approver', 'verifikator'])).toEqual(['approve', 'return', 'reject']);
  });

  it('gives nobody a step on a final, returned or queued proposal, nor the ASN or admin any step', () => {
    const roles: Role[] = ['asn', 'verifikator', 'approver', 'admin'];
    const closed: UsulanState[] = ['queued', 'returned', 'approved', 'rejected', 'withdrawn'];
    for (const s of closed) expect(allowedDecisions(s, roles)).toEqual([]);
    expect(allowedDecisions('submitted', ['asn', 'admin'])).toEqual([]);
  });
});

describe('decisionStatus', () => {
  const d: PendingDecision = { decision: 'verify', reason: null, queued: true, refusal: null, decided_at: '2024-05-02T09:00:00Z' };
  const add = { type: 'add_history' as const, data: anak() };

  it('tells undecided, queued, sent and refused apart', () => {
    expect(decisionStatus(reviewItem(add))).toBe('none');
    expect(decisionStatus(reviewItem(add, { decision: d }))).toBe('queued');
    expect(decisionStatus(reviewItem(add, { decision: { ...d, queued: false } }))).toBe('sent');
    const refusal = { code: 'decision.already_decided', field: 'usulan', message_id: 'Sudah diputus.', message_en: 'Already decided.' };
    expect(decisionStatus(reviewItem(add, { decision: { ...d, queued: false, refusal } }))).toBe('refused');
  });
});

describe('actions', () => {
  it('know their kind and proposed data', () => {
    expect(actionKind({ type: 'add_history', data: anak() })).toBe('anak');
    expect(actionKind({ type: 'change_history', record_id: 'r1', data: golongan() })).toBe('golongan');
    expect(actionKind({ type: 'delete_history', record_id: 'r1', kind: 'jabatan' })).toBe('jabatan');
    expect(actionKind({ type: 'change_owner_fields', fields: { alamat: 'x', no_hp: null, email: null, npwp: null, bpjs: null } })).toBeNull();
    expect(proposedData({ type: 'change_history', record_id: 'r1', data: golongan() })).toEqual(golongan());
    expect(proposedData({ type: 'delete_history', record_id: 'r1', kind: 'jabatan' })).toBeNull();
  });
});

describe('compareRows', () => {
  it('marks what the proposal changes against the official record now', () => {
    const official = golongan();
    const rows = compareRows(GOLONGAN_SPEC, official, official, golongan({ golongan_id: '32' }), CATALOGS);
    expect(rows).toHaveLength(GOLONGAN_SPEC.fields.length);
    expect(rows[0]).toEqual({
      field: 'golongan_id',
      label: 'Golongan',
      base: 'III/a',
      official: 'III/a',
      proposed: 'III/b',
      changed: true,
      moved: false,
    });
    expect(rows.filter((r) => r.changed).map((r) => r.field)).toEqual(['golongan_id']);
  });

  it('marks official values that moved since the proposal was made', () => {
    const base = golongan();
    const official = golongan({ sk_nomor: '900/2020' });
    const rows = compareRows(GOLONGAN_SPEC, base, official, golongan({ sk_nomor: '824/2020' }), CATALOGS);
    const sk = rows.find((r) => r.field === 'sk_nomor');
    expect(sk).toMatchObject({ base: '823/2020', official: '900/2020', proposed: '824/2020', changed: true, moved: true });
    expect(rows.filter((r) => r.moved).map((r) => r.field)).toEqual(['sk_nomor']);
  });

  it('shows a deletion as dashes against the official record, and a new record with nothing moved', () => {
    const del = compareRows(GOLONGAN_SPEC, golongan(), golongan(), null, CATALOGS);
    expect(del.every((r) => r.proposed === '—')).toBe(true);
    const add = compareRows(GOLONGAN_SPEC, null, null, golongan(), CATALOGS);
    expect(add.some((r) => r.moved)).toBe(false);
    expect(add.find((r) => r.field === 'tmt_golongan')).toMatchObject({ official: '—', proposed: '01-04-2020', changed: true });
  });
});
