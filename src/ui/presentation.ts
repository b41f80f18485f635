/**
 * The other person's video in picture-in-picture (`pip`), or the call in full screen; or back
 * from either. A refusal is said in the console.
 */
export async function togglePresentation(el: HTMLElement, pip: boolean): Promise<void> {
  try {
    if (!pip) await (document.fullscreenElement === el ? document.exitFullscreen() : el.requestFullscreen());
    else if (document.pictureInPictureElement) await document.exitPictureInPicture();
    else await el.shadowRoot?.querySelector<HTMLVideoElement>('[part~="remote-video"]')?.requestPictureInPicture();
  } catch (error) {
    console.warn(`p2p-video-call: ${pip ? 'picture-in-picture' : 'full screen'} failed`, error);
  }
}
