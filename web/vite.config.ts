import { defineConfig, Plugin } from 'vite';

// FullCalendar injects an icon font as a data: URL, which the server's Content-Security-Policy
// (no font-src data:) refuses; the app uses text buttons instead, so the @font-face goes.
function dropFullCalendarIconFont(): Plugin {
  return {
    name: 'drop-fullcalendar-icon-font',
    transform(code, id) {
      if (!id.includes('@fullcalendar/core') || !code.includes('fcicons')) return null;
      return { code: code.replace(/@font-face\{font-family:fcicons[^}]*\}/g, ''), map: null };
    },
  };
}

// The server (regie) serves web/dist: index.html for every app path, /assets/* for the hashed files.
export default defineConfig({
  base: '/',
  plugins: [dropFullCalendarIconFont()],
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
