// The drop-in bundle: one self-contained ES module (Lit and socket.io-client inside) that a
// page loads with <script type="module">. Built from tsc's output in lib/ (npm run build:tsc).
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { litTrims, mangledProperties, ourTrims, socketIoTrims } from './scripts/bundle-trims.mjs';

export default {
  input: 'lib/src/drop-in.js',
  output: { file: 'dist/p2p-video-call.js', format: 'es', sourcemap: true },
  plugins: [
    ...ourTrims,
    ...socketIoTrims,
    ...litTrims,
    // Lit's html`` and css`` templates keep their indentation and line breaks through terser.
    // Attribute values without quotes where HTML allows it (Lit binds unquoted attributes too).
    minifyHTML({ include: ['lib/src/**'], failOnError: true, options: { minifyOptions: { removeAttributeQuotes: true } } }),
    // The browser builds of socket.io-client/engine.io-client (no `ws`, no `debug`).
    nodeResolve({ browser: true, exportConditions: ['browser'] }),
    // pure_getters: reading a property has no side effect and does not throw, so a read whose
    // value goes unused may go (no code here reads a property for its effect: a getter of ours
    // or Lit's only returns a field; the reads it drops are of unused arguments and destructured
    // names). unsafe_arrows: a function expression that uses no `this`, `arguments` or
    // `new.target` may become an arrow function (none here is called with `new` or has its
    // `prototype` read: they are the inlined helpers and socket.io-client's unsubscribe callbacks).
    terser({
      module: true,
      ecma: 2022,
      compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
      mangle: { properties: mangledProperties },
      format: { comments: false },
    }),
  ],
};
