/** What a call needs to start. */
export interface CallOptions {
  room: string;
  /** URL of the relay. */
  signaling: string;
  name?: string;
  token?: string;
  /** ICE servers used in addition to the relay's: an array, or the JSON of one. */
  iceServers?: RTCIceServer[] | string;
  /** `'relay'` sends media only through TURN (hides IP addresses from the other peer). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  muted?: boolean;
  cameraOff?: boolean;
}
