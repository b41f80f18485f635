import { html, nothing, type TemplateResult } from 'lit';
import type { CallController } from '../call/call-controller.js';
import type { Strings } from '../i18n/strings.js';
import type { DeviceKind } from '../media/devices.js';
import type { MediaKind } from '../media/local-media.js';
import type { P2PVideoCall } from './p2p-video-call.js';

/** Uses the device chosen in a menu: the element's `camera`, `microphone` or `speaker`. */
function choose(el: P2PVideoCall, kind: DeviceKind, deviceId: string): void {
  if (kind === 'camera') el.camera = deviceId;
  else if (kind === 'microphone') el.microphone = deviceId;
  else el.speaker = deviceId;
}

/** One choice of device, or nothing when there is none of that kind. */
function deviceSelect(el: P2PVideoCall, call: CallController, T: Strings, kind: DeviceKind, media: MediaKind | null) {
  const devices = el.devices.filter((d) => d.kind === kind);
  if (devices.length === 0) return nothing;
  const current = (media && call.deviceInUse(media)) || (kind === 'speaker' ? el.speaker : '');
  return html`<label
    >${T[kind]}
    <select @change=${(e: Event) => choose(el, kind, (e.target as HTMLSelectElement).value)}>
      ${devices.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === current}>${d.label || `${T[kind]} ${i + 1}`}</option>`)}
    </select></label
  >`;
}

/** Camera, microphone and (where the browser can choose) speaker; Escape closes it. */
export function deviceMenu(el: P2PVideoCall, call: CallController, T: Strings): TemplateResult {
  return html`<div
    part="device-menu"
    role="group"
    aria-label=${T.devices}
    ?hidden=${!el._menuOpen}
    @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && void el._toggleMenu(false)}
  >
    ${deviceSelect(el, call, T, 'camera', 'video')} ${deviceSelect(el, call, T, 'microphone', 'audio')}
    ${'setSinkId' in HTMLMediaElement.prototype ? deviceSelect(el, call, T, 'speaker', null) : nothing}
  </div>`;
}
