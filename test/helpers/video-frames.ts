// Counting the frames a <video> presents. Self-contained (nothing from module scope), so a
// puppeteer test can also run it in a page: `page.evaluate(countFrames, videoHandle, ms)`.

export interface FrameCount {
  /** Frames presented during the interval. */
  frames: number;
  /** Size of the last frame presented (0 when none). */
  width: number;
  height: number;
}

/**
 * Counts the frames `video` presents during `ms`, with `requestVideoFrameCallback` (Firefox's
 * getVideoPlaybackQuality() stays 0 for a camera stream, and `currentTime` advances even when a
 * track is disabled). To wait for a video to play, use `framesPresented` in wait.ts.
 */
export function countFrames(video: HTMLVideoElement, ms: number): Promise<FrameCount> {
  return new Promise((resolve) => {
    const result = { frames: 0, width: 0, height: 0 };
    let handle = 0;
    const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
      result.frames++;
      result.width = metadata.width;
      result.height = metadata.height;
      handle = video.requestVideoFrameCallback(onFrame);
    };
    handle = video.requestVideoFrameCallback(onFrame);
    setTimeout(() => {
      video.cancelVideoFrameCallback(handle);
      resolve(result);
    }, ms);
  });
}
