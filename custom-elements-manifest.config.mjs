// `npm run build:manifest`: custom-elements.json from the JSDoc of src/ (the element, its
// attributes, properties, parts, CSS properties and states). Its events come from the one list
// of them, src/call/events.ts (see eventsFromTheirClasses).

/** `CallStateChangeEvent` → `call-state-change`. */
const eventName = (className) =>
  className
    .slice(0, -'Event'.length)
    .replace(/(?<=.)([A-Z])/g, '-$1')
    .toLowerCase();

/**
 * The element fires exactly the events that src/call/events.ts declares, one class each named
 * after it: this lists them on the element, with each class's description (without its
 * "`name`: " lead) and the class as the event's type, instead of a second list in `@fires`.
 */
const eventsFromTheirClasses = () => ({
  name: 'events-from-their-classes',
  packageLinkPhase({ customElementsManifest }) {
    const modules = customElementsManifest.modules;
    const source = modules.find((m) => m.path === 'src/call/events.ts');
    const classes = source?.declarations.filter((d) => d.kind === 'class' && d.name.endsWith('Event') && d.name !== 'P2PVideoCallEvent');
    if (!classes?.length) throw new Error('custom-elements manifest: no event classes in src/call/events.ts');
    const events = classes.map((d) => ({
      name: eventName(d.name),
      type: { text: d.name },
      description: (d.description ?? '').replace(/^`[a-z-]+`: /, ''),
    }));
    for (const element of modules.flatMap((m) => m.declarations ?? []).filter((d) => d.customElement)) {
      element.events = events;
    }
  },
});

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/react.ts'],
  litelement: true,
  plugins: [eventsFromTheirClasses()],
};
