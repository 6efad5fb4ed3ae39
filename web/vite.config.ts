import { defineConfig } from 'vite';

// The server (regie) serves web/dist: index.html for every app path, /assets/* for the hashed files.
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    // No inline <script> (CSP script-src 'self'): the module preload polyfill is inlined otherwise.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/dav': 'http://127.0.0.1:8080' } },
});
