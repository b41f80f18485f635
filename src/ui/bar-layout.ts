/** A round button of the call bar (44 px, the smallest touch target) and the gap after it. */
export const SLOT_PX = 52;
/** The call bar's padding, left and right. */
const PADDING_PX = 28;

/**
 * How many call-bar slots a text button takes (Join, Call again, Try again): 12 px a letter (a
 * Latin one is narrower, a CJK one about as wide), plus its padding.
 */
export const slotsOfText = (label: string): number => Math.ceil((label.length * 12 + 36) / SLOT_PX);

/**
 * How many of the `secondary` buttons stay in a call bar `width` px wide that also holds
 * `mainSlots` slots that always stay (microphone, camera, hang up, a text button); the rest go
 * into the "more" menu, whose button takes a slot. Unknown width (0): all of them.
 */
export function buttonsInBar(width: number, mainSlots: number, secondary: number): number {
  // The last button needs no gap after it.
  const slots = Math.floor((width - PADDING_PX + 8) / SLOT_PX);
  return width <= 0 || mainSlots + secondary <= slots ? secondary : Math.max(0, slots - mainSlots - 1);
}
