import { html, type TemplateResult } from 'lit';

/**
 * The call bar's icons: one stroked path each on a 24 × 24 grid, drawn in the text colour
 * (`currentColor`), so a page's `--p2p-video-call-color` colours them too.
 */
export const ICONS = {
  mic: 'M9 5a3 3 0 0 1 6 0v6a3 3 0 0 1-6 0zM5 11a7 7 0 0 0 14 0M12 18v3',
  camera: 'M3 7h12v10H3zM15 11l6-4v10l-6-4',
  screen: 'M3 4h18v12H3zM8 20h8M12 16v4',
  chat: 'M4 4h16v12H9l-5 4z',
  settings: 'M4 7h16M4 17h16M9 4v6M15 14v6',
  pip: 'M3 5h18v14H3zM12 12h6v4h-6z',
  fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  hangUp: 'M3 15c5-5 13-5 18 0l-2 3-4-1v-3H9v3l-4 1z',
  more: 'M5 12h1M12 12h1M19 12h1',
} as const;

export type IconName = keyof typeof ICONS;

/**
 * An icon (hidden from screen readers: its button has the name); `off` strikes it through: a
 * pressed button's (muted, camera off, sharing, full screen), which its name then says.
 */
export const icon = (name: IconName, off = false): TemplateResult =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${ICONS[name] + (off ? 'M3 3l18 18' : '')}></path></svg>`;
