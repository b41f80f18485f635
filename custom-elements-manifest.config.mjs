// `npm run build:manifest`: custom-elements.json from the JSDoc of src/ (the element, its
// attributes, properties, events, parts, CSS properties and states).
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/react.ts'],
  litelement: true,
};
