import { html, nothing, type TemplateResult } from 'lit';
import type { CallController } from '../call/call-controller.js';
import type { Localizer } from '../i18n/localize.js';
import { fill, statusText } from '../i18n/status-text.js';
import { chatPanel } from './chat-panel.js';
import { deviceMenu } from './device-menu.js';
import type { P2PVideoCall } from './p2p-video-call.js';
import { toggleFullscreen, togglePictureInPicture } from './presentation.js';

/** The other person's initials, for the placeholder while their camera is off. */
const initialsOf = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('') || '?';

/**
 * What `<p2p-video-call>` shows: the videos, the status line, the controls and the device menu,
 * from the call's state. The buttons act through the element's own API (`start()`, `muted`, …).
 */
export function callView(el: P2PVideoCall, call: CallController, texts: Localizer): TemplateResult {
  const T = texts.strings;
  const state = call.state;
  const remote = call.remoteMedia;
  const quality = call.quality;
  const active = !['idle', 'previewing', 'ended', 'failed'].includes(state);
  const peerName = call.peer?.name ?? '';
  const left = call.left;
  const status = left === null ? statusText(T, state, peerName, call.failure) : fill(T.peerLeft, left, T);
  // Camera and microphone are released once the call is over: nothing to mute.
  const over = state === 'ended' || state === 'failed';
  const sharing = call.screenSharing;
  const canPip = document.pictureInPictureEnabled && !!call.remoteStream;
  const full = document.fullscreenElement === el;
  const unread = call.data.chat.unread;
  // The language of the texts, for screen readers' pronunciation (WCAG 3.1.2).
  return html`<div class="texts" lang=${texts.lang}>
    <div class="stage">
      <video
        part="remote-video"
        tabindex="-1"
        class=${`${remote?.screen ? 'screen' : ''} ${state === 'reconnecting' ? 'stalled' : ''}`}
        aria-label=${fill(T.remoteVideo, peerName, T)}
        autoplay
        playsinline
        ?hidden=${!call.remoteStream}
      ></video>
      ${
        remote && !remote.video
          ? html`<div part="placeholder">
              <span class="avatar" aria-hidden="true">${initialsOf(peerName)}</span><span>${peerName}</span
              ><span>${T.remoteCameraOff}</span>
            </div>`
          : nothing
      }
      <video
        part="local-video"
        tabindex="-1"
        class=${`${call.remoteStream ? '' : 'alone'} ${sharing ? 'screen' : ''}`}
        aria-label=${sharing ? T.youShare : T.localVideo}
        autoplay
        playsinline
        muted
        .muted=${true}
        ?hidden=${!call.localStream}
      ></video>
      ${
        quality && active
          ? html`<span
              part="quality"
              class=${quality.level}
              title=${`${quality.rttMs ?? '–'} ms, ${Math.round(quality.packetLoss * 100)} %`}
              ><i aria-hidden="true"></i>${T.quality[quality.level]}${quality.reason ? ` · ${T.qualityReason[quality.reason]}` : ''}${
                quality.path
                  ? ` · ${quality.path === 'relay' ? T.path.relay.replace('{protocol}', (quality.protocol ?? 'udp').toUpperCase()) : T.path.direct}`
                  : ''
              }</span
            >`
          : nothing
      }
      ${chatPanel(el, call, T, texts.lang)}
    </div>
    <p part="status" role="status" aria-live="polite">
      ${status}${remote?.screen ? ` ${fill(T.remoteScreen, peerName, T)}` : ''}${remote && !remote.audio ? ` ${T.remoteMicOff}` : ''}${
        active && sharing ? ` ${T.youShare}` : ''
      }${active && el.muted ? ` ${T.youMuted}` : ''}
    </p>
    <div part="controls">
      ${
        active
          ? nothing
          : html`<button part="start-button" ?disabled=${!el.room} @click=${() => el.start()}>
              ${state === 'failed' ? T.tryAgain : state === 'ended' ? T.callAgain : state === 'previewing' ? T.join : T.start}
            </button>`
      }
      <button part="mute-button" ?hidden=${over} aria-pressed=${el.muted} @click=${() => (el.muted = !el.muted)}>
        ${el.muted ? T.unmute : T.mute}
      </button>
      <button part="camera-button" ?hidden=${over} aria-pressed=${el.cameraOff} @click=${() => (el.cameraOff = !el.cameraOff)}>
        ${el.cameraOff ? T.cameraOn : T.cameraOff}
      </button>
      ${
        // A feature test: the DOM types say it is always there (so TS2774 asks for the `!!`).
        // eslint-disable-next-line no-extra-boolean-cast
        !!navigator.mediaDevices?.getDisplayMedia
          ? html`<button
              part="screen-button"
              aria-pressed=${sharing}
              ?hidden=${!active}
              @click=${() => (sharing ? el.stopScreenShare() : el.shareScreen())}
            >
              ${sharing ? T.stopSharing : T.shareScreen}
            </button>`
          : nothing
      }
      ${
        el.noChat || !(active || call.data.chat.items.length)
          ? nothing
          : html`<button part="chat-button" aria-expanded=${el._chatOpen} aria-controls="chat" @click=${() => void el._toggleChat()}>
              ${T.chat} ${unread ? html`<span class="badge">${unread}<span class="sr"> ${T.unread}</span></span>` : nothing}
            </button>`
      }
      <button part="settings-button" aria-expanded=${el._menuOpen} aria-controls="device-menu" @click=${() => void el._toggleMenu()}>
        ${T.settings}
      </button>
      ${canPip ? html`<button part="pip-button" @click=${() => togglePictureInPicture(el)}>${T.pip}</button>` : nothing}
      ${
        document.fullscreenEnabled
          ? html`<button part="fullscreen-button" aria-pressed=${full} @click=${() => toggleFullscreen(el)}>
              ${full ? T.exitFullscreen : T.fullscreen}
            </button>`
          : nothing
      }
      <button part="hangup-button" ?hidden=${!active} @click=${() => el.hangUp()}>${T.hangUp}</button>
    </div>
    ${deviceMenu(el, call, T)}
  </div>`;
}
