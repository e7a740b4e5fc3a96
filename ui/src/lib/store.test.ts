import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ANAK_SPEC, beranda } from '../test/fixtures';
import type { ReviewQueueView, Role } from '../gen/ipc';

const invoke = vi.hoisted(() => vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { app, go, isAdmin, isReviewer, refresh } = await import('./store.svelte');

const QUEUE: ReviewQueueView = { items: [], units: ['Bagian Umum'] };
const INBOX = { notifications: [] };

function signIn(roles: Role[]) {
  app.user = { nip: '198501012010011001', nama: 'Siti Aminah', instansi_id: 'A1', roles };
}

/** The shell answering every read the store makes. */
function shell(cmd: string): Promise<unknown> {
  switch (cmd) {
    case 'category_specs':
      return Promise.resolve([ANAK_SPEC]);
    case 'beranda':
      return Promise.resolve(beranda([]));
    case 'inbox':
      return Promise.resolve(INBOX);
    case 'review_queue':
      return Promise.resolve(QUEUE);
    default:
      return Promise.reject({ code: 'app.unexpected', message: cmd });
  }
}

const commands = () => invoke.mock.calls.map((c) => c[0]);

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(shell);
  app.user = null;
  app.specs = [];
  app.beranda = null;
  app.inbox = null;
  app.queue = null;
  app.error = null;
  app.filter = { kind: null, unor_nama: null };
});

describe('roles', () => {
  it('make a reviewer of a verifier or approver only', () => {
    expect(isReviewer()).toBe(false);
    signIn(['asn']);
    expect(isReviewer()).toBe(false);
    signIn(['asn', 'verifikator']);
    expect(isReviewer()).toBe(true);
    signIn(['approver']);
    expect(isReviewer()).toBe(true);
    signIn(['admin']);
    expect(isReviewer()).toBe(false);
  });

  it('make an admin of the admin role only', () => {
    expect(isAdmin()).toBe(false);
    signIn(['asn', 'approver']);
    expect(isAdmin()).toBe(false);
    signIn(['admin']);
    expect(isAdmin()).toBe(true);
  });
});

describe('refresh', () => {
  it('reads nothing before login', async () => {
    await refresh();
    expect(invoke).not.toHaveBeenCalled();
  });

  it('loads the forms once, then the beranda and inbox each time; an ASN has no queue', async () => {
    signIn(['asn']);
    await refresh();
    await refresh();
    expect(commands().filter((c) => c === 'category_specs')).toHaveLength(1);
    expect(commands().filter((c) => c === 'beranda')).toHaveLength(2);
    expect(commands()).not.toContain('review_queue');
    expect(app.specs).toEqual([ANAK_SPEC]);
    expect(app.beranda?.total_categories).toBe(18);
    expect(app.inbox).toEqual(INBOX);
    expect(app.queue).toBeNull();
  });

  it('reads a reviewer’s queue with the current filter', async () => {
    signIn(['verifikator']);
    app.filter = { kind: 'golongan', unor_nama: 'Bagian Umum' };
    await refresh();
    expect(invoke).toHaveBeenCalledWith('review_queue', { filter: { kind: 'golongan', unor_nama: 'Bagian Umum' } });
    expect(app.queue).toEqual(QUEUE);
  });

  it('keeps the lists readable when the forms fail to load', async () => {
    signIn(['asn']);
    invoke.mockImplementation((cmd) => (cmd === 'category_specs' ? Promise.reject('no specs') : shell(cmd)));
    await refresh();
    expect(app.specs).toEqual([]);
    expect(app.inbox).toEqual(INBOX);
    expect(app.error).toBeNull();
  });

  it('shows a failed read as an ApiError, and clears it after the next good one', async () => {
    signIn(['asn']);
    invoke.mockImplementation((cmd) =>
      cmd === 'inbox' ? Promise.reject({ code: 'store.locked', message: 'database is locked' }) : shell(cmd),
    );
    await refresh();
    expect(app.error).toEqual({ code: 'store.locked', message: 'database is locked', field: undefined });
    invoke.mockImplementation(shell);
    await refresh();
    expect(app.error).toBeNull();
  });
});

describe('go', () => {
  it('opens a screen at its top', () => {
    const scrollTo = vi.fn();
    vi.stubGlobal('window', { scrollTo });
    go({ name: 'review', id: 'u-4' });
    expect(app.screen).toEqual({ name: 'review', id: 'u-4' });
    expect(scrollTo).toHaveBeenCalledWith(0, 0);
  });
});
