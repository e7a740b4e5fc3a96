import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Old Android System WebViews render a blank page for modern syntax: build for a conservative target.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    target: ['es2019', 'safari13'],
    cssTarget: ['chrome61', 'safari13'],
    outDir: 'dist',
    emptyOutDir: true,
    // Keep every asset a file: the CSP allows no inline scripts or styles.
    assetsInlineLimit: 0,
  },
});
