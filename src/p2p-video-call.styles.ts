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
  .note {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    margin: 0;
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
  button:focus-visible {
    outline: 2px solid var(--p2p-video-call-accent, #6ea8ff);
    outline-offset: 2px;
  }
`;
