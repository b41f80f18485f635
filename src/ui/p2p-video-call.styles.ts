import { css } from 'lit';

export const styles = css`
  /* As wide as its container; as tall as the video's aspect ratio makes it, or, given a height,
     the video takes what the status and the controls leave. */
  :host {
    display: flex;
    flex-direction: column;
    overflow: hidden;
    border-radius: var(--p2p-video-call-radius, 12px);
    background: var(--p2p-video-call-background, #111);
    color: var(--p2p-video-call-color, #fff);
    font: var(--p2p-video-call-font, 15px/1.4 system-ui, sans-serif);
  }
  .texts {
    display: contents;
  }
  [hidden] {
    display: none !important;
  }
  .stage {
    position: relative;
    flex: 1 1 auto;
    min-height: 0;
    aspect-ratio: var(--p2p-video-call-aspect-ratio, 16 / 9);
    background: #000;
  }
  video {
    display: block;
  }
  [part='remote-video'] {
    width: 100%;
    height: 100%;
    /* The whole picture of the other person, never cropped. */
    object-fit: var(--p2p-video-call-fit, contain);
  }
  /* A shared screen is shown whole whatever the page chose: cropped text is lost text. */
  [part='remote-video'].screen {
    object-fit: contain;
  }
  /* Media lost (reconnecting): the last frame dimmed, not a picture that looks live. */
  [part='remote-video'].stalled {
    filter: grayscale(1) brightness(0.45);
  }
  /* A small overlay in the corner, never over the middle where the other person's face is. */
  [part='local-video'] {
    position: absolute;
    right: 8px;
    bottom: 8px;
    width: clamp(64px, 22%, 220px);
    max-height: 40%;
    object-fit: cover;
    border-radius: 8px;
    /* A mirror image, as people expect to see themselves. */
    transform: scaleX(-1);
    box-shadow: 0 2px 8px #0008;
  }
  /* Your shared screen: as it is, not mirrored, whole. */
  [part='local-video'].screen {
    transform: none;
    object-fit: contain;
    background: #000;
  }
  /* Alone (previewing, waiting): you see yourself whole. */
  [part='local-video'].alone {
    inset: 0;
    width: 100%;
    height: 100%;
    max-height: none;
    border-radius: 0;
    box-shadow: none;
    object-fit: contain;
  }
  [part='placeholder'] {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 4px;
    /* Clear of the quality indicator above, on a phone's short picture too. */
    padding: 36px 8px 8px;
    background: #000;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    border-radius: 50%;
    background: var(--p2p-video-call-button-background, #333);
    font-size: 22px;
  }
  [part='quality'] {
    position: absolute;
    left: 12px;
    top: 12px;
    padding: 2px 10px;
    border-radius: 999px;
    background: #000a;
    font-size: 13px;
  }
  [part='quality'] i {
    display: inline-block;
    width: 10px;
    height: 10px;
    margin-right: 6px;
    border-radius: 50%;
    background: var(--p2p-video-call-poor, #e53935);
  }
  [part='quality'].good i {
    background: var(--p2p-video-call-good, #4caf50);
  }
  [part='quality'].fair i {
    background: var(--p2p-video-call-fair, #ffb300);
  }
  [part='device-menu'] {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 16px;
    padding: 0 14px 14px;
  }
  [part='device-menu'] label {
    display: grid;
    max-width: 100%;
    gap: 2px;
    font-size: 13px;
  }
  select {
    font: inherit;
    min-height: 44px;
    max-width: 100%;
    padding: 4px;
    border-radius: 6px;
  }
  [part='status'] {
    margin: 0;
    padding: 10px 14px 0;
  }
  [part='controls'],
  [part='more-menu'] {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 10px 14px 14px;
  }
  /* Hidden during a call without activity; its place kept, so the picture does not jump. A tap
     there shows it (and presses nothing). */
  .away {
    opacity: 0;
    pointer-events: none;
  }
  svg {
    width: 22px;
    height: 22px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    vertical-align: middle;
  }
  .tool {
    padding: 11px;
  }
  /* In the "more" menu a button says its name. */
  [part='more-menu'] .tool > .sr {
    position: static;
    clip-path: none;
    margin-left: 8px;
  }
  /* The unread count on the chat button (or on "more", holding it), and your muted mark. */
  .badge {
    position: absolute;
    right: 0;
    border-radius: 50%;
    background: var(--p2p-video-call-hangup-background, #c62828);
  }
  .tool .badge {
    top: 0;
    min-width: 18px;
    font-size: 12px;
    line-height: 18px;
  }
  [part='muted-mark'] {
    margin: 14px;
    bottom: 0;
    display: grid;
    padding: 4px;
  }
  /* Touch targets of at least 44 x 44 px (WCAG 2.5.5). */
  button {
    font: inherit;
    min-width: 44px;
    min-height: 44px;
    padding: 8px 14px;
    font-size: 0.93em;
    border: 0;
    border-radius: 999px;
    background: var(--p2p-video-call-button-background, #333);
    color: inherit;
    cursor: pointer;
    position: relative;
  }
  button[aria-pressed='true'] {
    background: var(--p2p-video-call-pressed-background, #8a5a00);
  }
  [part='start-button'] {
    background: var(--p2p-video-call-start-background, #2e7d32);
  }
  [part='hangup-button'] {
    background: var(--p2p-video-call-hangup-background, #c62828);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  /* The chat over the video (on a phone, all of it): the picture stays where it is. */
  [part='chat'] {
    position: absolute;
    inset: 0 0 0 auto;
    /* 22em beside the picture; all of it in an element narrower than 30em (a phone). */
    width: min(100%, max(22em, (30em - 100%) * 999));
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 8px;
    box-sizing: border-box;
    background: #111e;
  }
  ol {
    flex: 1;
    overflow: auto;
    margin: 0;
    padding: 0;
    list-style: none;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  textarea {
    font: inherit;
  }
  a {
    color: var(--p2p-video-call-accent, #6ea8ff);
  }
  /* Heard, not seen. */
  .sr {
    position: absolute;
    clip-path: inset(50%);
  }
  button:focus-visible,
  textarea:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--p2p-video-call-accent, #6ea8ff);
    outline-offset: 2px;
  }
`;
