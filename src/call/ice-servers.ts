import { CallError } from './call-state.js';

/**
 * Parses the `ice-servers` attribute: a JSON array of `RTCIceServer`. Throws a
 * {@link CallError} `invalid-ice-servers` that says what is wrong.
 */
export function parseIceServers(json: string | null | undefined): RTCIceServer[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new CallError('invalid-ice-servers', 'The ice-servers attribute is not valid JSON.');
  }
  const valid =
    Array.isArray(value) &&
    value.every((server: RTCIceServer) => {
      const urls = typeof server?.urls === 'string' ? [server.urls] : server?.urls;
      // A TURN server without credentials makes RTCPeerConnection throw: say so up front.
      const credentials = typeof server.username === 'string' && typeof server.credential === 'string';
      return (
        Array.isArray(urls) &&
        urls.length > 0 &&
        urls.every((url) => typeof url === 'string' && (/^stuns?:/.test(url) || (/^turns?:/.test(url) && credentials)))
      );
    });
  if (!valid) {
    throw new CallError(
      'invalid-ice-servers',
      'ice-servers: not a JSON array of { urls: "stun:…" } or { urls: "turn:…", username, credential }.',
    );
  }
  return value as RTCIceServer[];
}
