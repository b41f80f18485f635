import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 960px;
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
  [part='local-video'] {
    position: absolute;
    right: 12px;
    bottom: 12px;
    width: 28%;
    max-width: 220px;
    border-radius: 8px;
    /* A mirror image, as people expect to see themselves. */
    transform: scaleX(-1);
    box-shadow: 0 2px 8px #0008;
  }
  [part='placeholder'] {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 6px;
    background: #000;
  }
  .avatar {
    display: grid;
    place-items: center;
    width: 72px;
    height: 72px;
    border-radius: 50%;
    background: var(--p2p-video-call-button-background, #333);
    font-size: 28px;
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
    gap: 2px;
    font-size: 13px;
  }
  select {
    font: inherit;
    max-width: 260px;
    padding: 4px;
    border-radius: 6px;
  }
  [part='status'] {
    margin: 0;
    padding: 10px 14px 0;
  }
  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    padding: 10px 14px 14px;
  }
  button {
    font: inherit;
    padding: 8px 16px;
    border: 0;
    border-radius: 999px;
    background: var(--p2p-video-call-button-background, #333);
    color: inherit;
    cursor: pointer;
  }
  button[aria-pressed='true'] {
    background: var(--p2p-video-call-pressed-background, #8a5a00);
  }
  [part='hangup-button'] {
    background: var(--p2p-video-call-hangup-background, #c62828);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button:focus-visible,
  select:focus-visible {
    outline: 2px solid var(--p2p-video-call-accent, #6ea8ff);
    outline-offset: 2px;
  }
`;
