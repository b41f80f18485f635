/**
 * Sequences the fuzzer shrank to when a property failed, kept as regression cases (replayed by
 * server/fuzz/fuzz.test.ts on one node and on two nodes sharing Redis). Each says what it found.
 */
import type { Action } from './actions.js';

export const REGRESSIONS: Array<{ name: string; actions: Action[] }> = [
  {
    // Seed 1315699501 (Redis): client 1 left, then joined another room asking for client 3's
    // peer id, which the relay grants a newcomer (as after a relay restart); client 3 then
    // signalled client 2 in their own room. Routing was right; the fuzzer's model wrongly took a
    // peer id for one participant. Kept: one id, two participants in two rooms.
    name: 'one peer id held in two rooms: signals stay in each room',
    actions: [
      {
        kind: 'emit',
        client: 1,
        event: 'leave',
        args: [],
        ack: true,
      },
      {
        kind: 'emit',
        client: 0,
        event: 'join',
        args: [
          {
            room: '',
          },
        ],
        ack: false,
      },
      {
        kind: 'connect',
        client: 0,
        auth: [],
      },
      {
        kind: 'emit',
        client: 1,
        event: 'signal',
        args: [
          {
            to: {
              roommate: 2,
            },
            restart: true,
            from: 'forged-peer-id',
          },
        ],
        ack: true,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'signal',
        args: [
          {
            to: {
              roommate: 9,
            },
            media: {
              audio: true,
              video: true,
              screen: false,
            },
            from: 'forged-peer-id',
          },
        ],
        ack: true,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'ice-servers',
        args: [],
        ack: false,
      },
      {
        kind: 'emit',
        client: 0,
        event: 'signal',
        args: [
          {
            to: {
              literal: ']o',
            },
            description: {
              type: 'answer',
              sdp: '&W/%{5Pik',
            },
          },
        ],
        ack: false,
      },
      {
        kind: 'emit',
        client: 3,
        event: 'join',
        args: [
          {
            room: 'fz-b',
            key: null,
          },
        ],
        ack: true,
      },
      {
        kind: 'emit',
        client: 3,
        event: 'signal',
        args: [
          {
            to: {
              roommate: 14,
            },
            media: {
              audio: false,
              video: true,
              screen: true,
            },
          },
        ],
        ack: false,
      },
      {
        kind: 'raw',
        client: 0,
        frame: ',OgJBi',
      },
      {
        kind: 'connect',
        client: 1,
        auth: null,
      },
      {
        kind: 'emit',
        client: 0,
        event: 'ice-servers',
        args: [],
        ack: false,
      },
      {
        kind: 'emit',
        client: 3,
        event: 'signal',
        args: [
          {
            to: {
              roommate: 18,
            },
            restart: true,
          },
        ],
        ack: false,
      },
      {
        kind: 'emit',
        client: 3,
        event: 'join',
        args: [
          {
            room: 'fz-b',
            name: ')&j;,',
          },
        ],
        ack: true,
      },
      {
        kind: 'emit',
        client: 2,
        event: 'leave',
        args: [],
        ack: true,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'join',
        args: [
          {
            room: 'fz-a',
            peerId: {
              roommate: 7,
            },
            key: 'wrg857t5kmlz8st8',
          },
        ],
        ack: true,
      },
      {
        kind: 'emit',
        client: 0,
        event: 'join',
        args: [
          {
            room: 'fz-a',
            name: 'eXr?[i$q%)',
            key: 'j34kvrtbl81ylktwmbn',
          },
        ],
        ack: false,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'join',
        args: [
          {
            room: 'fz-a',
            name: 'SF,Mc\\y',
            key: 'o8qaznro0ofyua48rauuqmp4cba',
          },
        ],
        ack: false,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'offer',
        args: [
          {
            description: {
              type: 'answer',
              sdp: '',
            },
          },
        ],
        ack: false,
      },
      {
        kind: 'emit',
        client: 0,
        event: 'g^M_7 _',
        args: [null],
        ack: false,
      },
      {
        kind: 'emit',
        client: 1,
        event: 'offer',
        args: [[',{', true, null, -5227076306583683, 119224616012455, 2.7231864489110647e228]],
        ack: true,
      },
    ] as Action[],
  },
];
