// Types that make <p2p-video-call …> type-check in framework templates, generated from
// custom-elements.json (npm run build:manifest) by the cem-tools generators:
//   types/jsx.d.ts (+ react.d.ts, preact.d.ts)   JSX: React 19, Preact
//   types/solid.d.ts (+ solid-jsx.d.ts)           Solid
//   types/vue.d.ts                                Vue (GlobalComponents)
// They are given the manifest minus what a template cannot set: read-only properties (state,
// localStream, …) and internal state. Each event handler gets the element's own event class.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateSolidJsTypes } from 'custom-element-solidjs-integration';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
const eventClasses = new Set(manifest.modules.flatMap((m) => (m.path.endsWith('events.ts') ? m.declarations.map((d) => d.name) : [])));
/** `call-connected` → `CallConnectedEvent`, which src/call/events.ts must have. */
const eventClass = (name) => {
  const cls = `${name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}Event`;
  if (!eventClasses.has(cls)) throw new Error(`framework types: no class ${cls} in src/call/events.ts for the event ${name}`);
  return cls;
};
for (const module of manifest.modules) {
  for (const declaration of module.declarations ?? []) {
    if (!declaration.customElement) continue;
    declaration.members = declaration.members?.filter((m) => !m.readonly && !m.name.startsWith('_'));
    declaration.attributes = declaration.attributes?.filter((a) => !a.name.startsWith('_'));
    // The element's events, from src/call/events.ts (custom-elements-manifest.config.mjs).
    declaration.events = declaration.events?.map((e) => ({ ...e, type: { text: eventClass(e.name) } }));
  }
}

const outdir = 'types';
const common = { outdir, globalTypePath: '../lib/src/index.js', hideLogs: true };
mkdirSync(new URL(`../${outdir}/`, import.meta.url), { recursive: true });
generateJsxTypes(manifest, { ...common, fileName: 'jsx.d.ts' });
generateSolidJsTypes(manifest, { ...common, fileName: 'solid.d.ts' });
generateVuejsTypes(manifest, { ...common, fileName: 'vue.d.ts' });

// The generators type a handler's argument as CustomEvent<T>; ours are the event classes.
for (const file of ['jsx.d.ts', 'solid.d.ts', 'vue.d.ts']) {
  const url = new URL(`../${outdir}/${file}`, import.meta.url);
  let text = readFileSync(url, 'utf8').replace(/CustomEvent<(\w+Event)>/g, '$1');
  // Vue's compiler turns @call-connected into the prop onCallConnected: type that one.
  if (file === 'vue.d.ts')
    text = text.replace(/"on([a-z-]+)"\?:/g, (_, name) => `on${name.replace(/(^|-)(\w)/g, (__, ___, c) => c.toUpperCase())}?:`);
  if (/CustomEvent<never>/.test(text)) throw new Error(`framework types: an event without a type in ${file}`);
  writeFileSync(url, text);
}
const augment = (file, module, from, name = module.replace('-js', '')) =>
  writeFileSync(
    new URL(`../${outdir}/${file}`, import.meta.url),
    `// <p2p-video-call> in ${module}'s JSX: import type {} from 'p2p-video-call/types/${name}';\n` +
      `import type { CustomElements } from './${from}';\n\n` +
      `declare module '${module}' {\n  namespace JSX {\n    interface IntrinsicElements extends CustomElements {}\n  }\n}\n`,
  );
augment('react.d.ts', 'react', 'jsx.js');
augment('preact.d.ts', 'preact', 'jsx.js');
augment('solid-jsx.d.ts', 'solid-js', 'solid.js');
console.log(`framework types: ${outdir}/{jsx,react,preact,solid,solid-jsx,vue}.d.ts`);
