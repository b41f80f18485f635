// The one list of the element's events (events.ts) and what is derived from it: the names in
// the class names, the element's events in custom-elements.json, and the call-error codes in
// its description.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CallErrorCode } from './call-state.js';
import * as Events from './events.js';

// Every export but the base class is an event class taking its detail.
const classes = Object.entries(Events).filter(([name]) => name !== 'P2PVideoCallEvent') as Array<[string, new (detail: unknown) => Event]>;
const kebab = (className: string) =>
  className
    .replace(/Event$/, '')
    .replace(/(?<=.)([A-Z])/g, '-$1')
    .toLowerCase();

// Every code, checked by the compiler: a code missing here, or one that is no code, fails `npm run typecheck`.
const CODES = {
  'room-full': true,
  unauthorized: true,
  'invalid-room': true,
  'signaling-unreachable': true,
  'negotiation-failed': true,
  'ice-failed': true,
  'media-denied': true,
  'invalid-ice-servers': true,
  'signaling-error': true,
  'rate-limited': true,
  'too-many-connections': true,
  'server-busy': true,
} satisfies Record<CallErrorCode, true>;

describe('the events of <p2p-video-call>', () => {
  it('are named after their classes (CallStateChangeEvent fires call-state-change), bubbling and composed', () => {
    assert.equal(classes.length, 19);
    for (const [name, Class] of classes) {
      const event = new Class({});
      assert.equal(event.type, kebab(name), name);
      assert.ok(event.bubbles && event.composed, name);
    }
  });

  it('are the events custom-elements.json lists for the element, each typed with its class', () => {
    // The manifest's schema (custom-elements-manifest), as much of it as this test reads.
    interface Manifest {
      modules: Array<{
        declarations?: Array<{ customElement?: boolean; events: Array<{ name: string; type: { text: string }; description: string }> }>;
      }>;
    }
    const manifest = JSON.parse(readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8')) as Manifest;
    const element = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement)!;
    assert.deepEqual(element.events.map((e) => [e.name, e.type.text]).sort(), classes.map(([name]) => [kebab(name), name]).sort());
    const callError = element.events.find((e) => e.name === 'call-error')!;
    for (const code of Object.keys(CODES)) assert.match(callError.description, new RegExp(`\`${code}\``), code);
  });
});
