import { html, nothing, type TemplateResult } from 'lit';
import type { CallController } from '../call/call-controller.js';
import type { Localizer } from '../i18n/localize.js';
import { fill, statusText } from '../i18n/status-text.js';
import { chatPanel } from './chat-panel.js';
import { deviceMenu } from './device-menu.js';
import type { P2PVideoCall } from './p2p-video-call.js';
import { buttonsInBar, slotsOfText } from './bar-layout.js';
import { icon, type IconName } from './icons.js';
import { togglePresentation } from './presentation.js';

/** The other person's initials, for the placeholder while their camera is off. */
const initialsOf = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0].toUpperCase())
    .join('') || '?';

/** How a call-bar button is: pressed (its icon struck through), open (what it opens), its badge, hidden. */
interface ToolState {
  pressed?: boolean;
  expanded?: boolean;
  badge?: unknown;
  hidden?: boolean;
}

/**
 * A button of the call bar: its icon, and its name for screen readers and as its tooltip (in
 * the "more" menu, the name shows beside the icon).
 */
const tool = (part: string, label: string, picture: IconName, click: () => unknown, o: ToolState = {}): TemplateResult =>
  html`<button
    part=${part}
    class="tool"
    ?hidden=${o.hidden}
    title=${label}
    aria-pressed=${o.pressed ?? nothing}
    aria-expanded=${o.expanded ?? nothing}
    @click=${click}
  >
    ${icon(picture, o.pressed)}<span class="sr">${label}</span>${o.badge ?? nothing}
  </button>`;

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
  const startLabel = state === 'failed' ? T.tryAgain : state === 'ended' ? T.callAgain : state === 'previewing' ? T.join : T.start;
  const badge = unread ? html`<span class="badge">${` ${unread}`}<span class="sr"> ${T.unread}</span></span>` : nothing;
  // Microphone, camera and hang up always in the bar; the rest where it fits, else in "more".
  const secondary: TemplateResult[] = [];
  // A feature test: the DOM types say it is always there (so TS2774 asks for the `!!`).
  if (active && !!navigator.mediaDevices?.getDisplayMedia) {
    secondary.push(
      tool('screen-button', sharing ? T.stopSharing : T.shareScreen, 'screen', () => (sharing ? el.stopScreenShare() : el.shareScreen()), {
        pressed: sharing,
      }),
    );
  }
  // Where the chat button is (-1: none): its unread count shows on "more" while it is in there.
  const chatAt = el.noChat || !(active || call.data.chat.items.length) ? -1 : secondary.length;
  if (chatAt >= 0) secondary.push(tool('chat-button', T.chat, 'chat', () => void el._toggleChat(), { expanded: el._chatOpen, badge }));
  secondary.push(tool('settings-button', T.settings, 'settings', () => void el._toggleMenu(), { expanded: el._menuOpen }));
  if (canPip) secondary.push(tool('pip-button', T.pip, 'pip', () => togglePresentation(el, true)));
  if (document.fullscreenEnabled) {
    secondary.push(
      tool('fullscreen-button', full ? T.exitFullscreen : T.fullscreen, 'fullscreen', () => togglePresentation(el, false), {
        pressed: full,
      }),
    );
  }
  const main = (over ? 0 : 2) + (active ? 1 : slotsOfText(startLabel));
  const fits = buttonsInBar(el._width, main, secondary.length);
  const inMenu = secondary.slice(fits);

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
      ${el.muted && call.localStream ? html`<span part="muted-mark" class="badge">${icon('mic', true)}</span>` : nothing}
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
    <div part="controls" class=${el._barHidden ? 'away' : ''}>
      ${active ? nothing : html`<button part="start-button" ?disabled=${!el.room} @click=${() => el.start()}>${startLabel}</button>`}
      ${tool('mute-button', el.muted ? T.unmute : T.mute, 'mic', () => (el.muted = !el.muted), { pressed: el.muted, hidden: over })}
      ${tool('camera-button', el.cameraOff ? T.cameraOn : T.cameraOff, 'camera', () => (el.cameraOff = !el.cameraOff), { pressed: el.cameraOff, hidden: over })}
      ${secondary.slice(0, fits)}
      ${
        inMenu.length
          ? tool('more-button', T.more, 'more', () => void el._toggleMore(), {
              expanded: el._moreOpen,
              badge: chatAt >= fits ? badge : nothing,
            })
          : nothing
      }
      ${tool('hangup-button', T.hangUp, 'hangUp', () => el.hangUp(), { hidden: !active })}
    </div>
    <div
      part="more-menu"
      role="group"
      aria-label=${T.more}
      ?hidden=${!el._moreOpen || !inMenu.length}
      @click=${() => void el._toggleMore(false)}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && void el._toggleMore(false)}
    >
      ${inMenu}
    </div>
    ${deviceMenu(el, call, T)}
  </div>`;
}
