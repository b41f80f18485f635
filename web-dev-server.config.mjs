// `npm run dev`: the demo with live TypeScript sources, and the relay on the same port.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';

export default {
  rootDir: '.',
  open: false,
  port: Number(process.env.PORT ?? 8000),
  hostname: process.env.HOST ?? '127.0.0.1',
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  // `/` is the demo, as with `npm start`.
  middleware: [
    function demoAtRoot(context, next) {
      if (context.path === '/') context.url = context.url.replace(/^\/(?=\?|$)/, '/demo/index.html');
      // Its script and style, which the relay serves next to it.
      if (context.path === '/demo.js' || context.path === '/demo.css') context.url = `/demo${context.url}`;
      return next();
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    {
      name: 'p2p-video-call-dev',
      // The page asks for /p2p-video-call.js, as on a real site: serve the TypeScript entry.
      serve(context) {
        if (context.path === '/p2p-video-call.js') {
          return { body: "import '/src/index.ts';", type: 'js' };
        }
      },
      // The relay, attached to the dev server's own http server (compiled: run `npm run build:tsc`).
      async serverStart({ server }) {
        const { createSignalingServer } = await import('./lib/server/index.js');
        this.relay = createSignalingServer({ httpServer: server });
      },
      async serverStop() {
        await this.relay?.close();
      },
    },
  ],
};
