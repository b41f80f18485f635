// The drop-in bundle: one self-contained ES module (Lit and socket.io-client inside) that a
// page loads with <script type="module">. Built from tsc's output in lib/ (npm run build:tsc).
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * engine.io-client registers a WebTransport transport that is only used when asked for by
 * name; we ask for `websocket`, then `polling`. Replacing it with an empty class saves every
 * visitor ~0.7 KB gzip.
 */
const withoutWebTransport = {
  name: 'without-webtransport',
  resolveId(source, importer) {
    if (source === './webtransport.js' && importer?.includes('engine.io-client')) return '\0webtransport-stub';
    return null;
  },
  load(id) {
    return id === '\0webtransport-stub' ? 'export class WT {}' : null;
  },
};

export default {
  input: 'lib/src/index.js',
  output: { file: 'dist/p2p-video-call.js', format: 'es', sourcemap: true },
  plugins: [
    withoutWebTransport,
    // The browser builds of socket.io-client/engine.io-client (no `ws`, no `debug`).
    nodeResolve({ browser: true, exportConditions: ['browser'] }),
    terser({ module: true, ecma: 2022, compress: { passes: 3 }, format: { comments: false } }),
  ],
};
