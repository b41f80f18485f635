// Which buttons stay in the call bar at a width, and which go into the "more" menu.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buttonsInBar, slotsOfText } from './bar-layout.js';

describe('the call bar layout', () => {
  it('keeps everything in the bar where it fits, or while the width is not known yet', () => {
    assert.equal(buttonsInBar(1280, 3, 5), 5);
    assert.equal(buttonsInBar(0, 3, 5), 5);
  });

  it('fits one row at 320 px: microphone, camera, hang up, the more button and one more', () => {
    // 320 - 28 px of padding holds 5 slots of 52 px (44 + 8 gap; the last needs no gap).
    assert.equal(buttonsInBar(320, 3, 5), 1);
    assert.equal(buttonsInBar(320, 3, 2), 2, 'five fit without a more button');
  });

  it('never goes below none: a narrow bar holds only its main buttons and the more button', () => {
    assert.equal(buttonsInBar(200, 3, 4), 0);
  });

  it('counts a text button by its letters, never fewer slots than it takes', () => {
    assert.equal(slotsOfText('Join'), 2); // about 64 px
    assert.equal(slotsOfText('Erneut versuchen'), 5); // about 180 px
    assert.equal(slotsOfText('もう一度かける'), 3); // about 133 px
  });
});
