import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// The app's Vite config (with the Svelte plugin, which compiles the runes of `*.svelte.ts` modules) plus the
// unit tests. Tests run in Node: the few browser globals a module touches are stubbed by the test itself.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      include: ['src/**/*.test.ts'],
      environment: 'node',
      restoreMocks: true,
      unstubGlobals: true,
    },
  }),
);
