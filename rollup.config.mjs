// The drop-in bundle: one self-contained ES module (Lit and socket.io-client inside) that a
// page loads with <script type="module">. Built from tsc's output in lib/ (npm run build:tsc).
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { litTrims, mangledProperties, socketIoTrims } from './scripts/bundle-trims.mjs';

export default {
  input: 'lib/src/drop-in.js',
  output: { file: 'dist/p2p-video-call.js', format: 'es', sourcemap: true },
  plugins: [
    ...socketIoTrims,
    ...litTrims,
    // Lit's html`` and css`` templates keep their indentation and line breaks through terser.
    minifyHTML({ include: ['lib/src/**'], failOnError: true }),
    // The browser builds of socket.io-client/engine.io-client (no `ws`, no `debug`).
    nodeResolve({ browser: true, exportConditions: ['browser'] }),
    terser({ module: true, ecma: 2022, compress: { passes: 3 }, mangle: { properties: mangledProperties }, format: { comments: false } }),
  ],
};
