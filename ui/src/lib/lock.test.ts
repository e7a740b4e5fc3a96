import { describe, expect, it } from 'vitest';
import { cleanPin, isLocked, isPhone, lock, needsPinSetup } from './lock.svelte';

describe('app lock helpers', () => {
  it('keeps only six digits of a PIN', () => {
    expect(cleanPin('12 34-56')).toBe('123456');
    expect(cleanPin('1234567')).toBe('123456');
    expect(cleanPin('abc')).toBe('');
  });

  it('tells a phone from a desktop by its user agent', () => {
    expect(isPhone('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36')).toBe(true);
    expect(isPhone('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe(true);
    expect(isPhone('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15')).toBe(false);
  });

  it('asks for a PIN setup only while unlocked', () => {
    lock.status = { locked: false, pin_set: false, setup_required: true, attempts_left: 5 };
    expect(needsPinSetup()).toBe(true);
    expect(isLocked()).toBe(false);
    lock.status = { locked: true, pin_set: true, setup_required: false, attempts_left: 3 };
    expect(needsPinSetup()).toBe(false);
    expect(isLocked()).toBe(true);
  });
});
