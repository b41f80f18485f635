/** The other person's video in picture-in-picture, or back; a refusal is said in the console. */
export async function togglePictureInPicture(el: HTMLElement): Promise<void> {
  const video = el.shadowRoot?.querySelector<HTMLVideoElement>('[part~="remote-video"]');
  try {
    if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await video?.requestPictureInPicture();
  } catch (error) {
    console.warn('p2p-video-call: picture-in-picture failed', error);
  }
}

/** The call in full screen, or back; a refusal is said in the console. */
export async function toggleFullscreen(el: HTMLElement): Promise<void> {
  try {
    if (document.fullscreenElement === el) await document.exitFullscreen();
    else await el.requestFullscreen();
  } catch (error) {
    console.warn('p2p-video-call: full screen failed', error);
  }
}
