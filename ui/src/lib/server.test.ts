import { describe, expect, it } from 'vitest';
import { parseServerInput, serverLabel } from './server';

describe('the server typed on the login screen', () => {
  it('is https, with the scheme added when missing and no trailing slash', () => {
    expect(parseServerInput('https://mysapk.bkn.go.id/')).toEqual({ url: 'https://mysapk.bkn.go.id' });
    expect(parseServerInput('  mysapk.instansi.go.id ')).toEqual({ url: 'https://mysapk.instansi.go.id' });
    expect(parseServerInput('sapk.instansi.go.id:8443/mysapk')).toEqual({ url: 'https://sapk.instansi.go.id:8443/mysapk' });
    expect(parseServerInput('HTTPS://Mysapk.Go.Id')).toEqual({ url: 'HTTPS://Mysapk.Go.Id' });
  });

  it('empty goes back to the app’s own server', () => {
    expect(parseServerInput('   ')).toEqual({ url: null });
  });

  it('refuses plain http and anything that is not a server address', () => {
    expect(parseServerInput('http://mysapk.instansi.go.id')).toEqual({ error: 'transport.insecure_url' });
    expect(parseServerInput('http://127.0.0.1:8080')).toEqual({ error: 'transport.insecure_url' });
    for (const bad of ['ftp://mysapk.go.id', 'https://user:pw@mysapk.go.id', 'https://mysapk.go.id/?a=1', 'https://mysapk.go.id/#x', 'https://', 'exa mple']) {
      expect(parseServerInput(bad)).toEqual({ error: 'transport.invalid_url' });
    }
  });
});

describe('the server shown under the form', () => {
  it('is the host with its port', () => {
    expect(serverLabel('https://mysapk.bkn.go.id')).toBe('mysapk.bkn.go.id');
    expect(serverLabel('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(serverLabel(null)).toBeNull();
  });
});
