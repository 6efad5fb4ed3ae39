// Writes NAME.gz beside each text asset of the build (best compression, once, at build time), so
// that the server sends compressed files without compressing on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url).pathname;
const compressible = /\.(js|css|html|svg|json|txt|map)$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (compressible.test(name)) {
      const content = readFileSync(path);
      if (content.length < 1024) continue; // Not worth a header and a round of inflate.
      const packed = gzipSync(content, { level: constants.Z_BEST_COMPRESSION });
      if (packed.length < content.length) writeFileSync(path + '.gz', packed);
    }
  }
}

walk(dist);
