// The call bar's hiding, as logic: node's mock timers stand in for the few seconds.
import assert from 'node:assert/strict';
import { beforeEach, describe, it, mock } from 'node:test';
import { AutoHide } from './auto-hide.js';

describe('AutoHide', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));

  it('hides after the delay without activity, shows again on any, and counts again from there', () => {
    let changes = 0;
    const bar = new AutoHide(
      4000,
      () => true,
      () => changes++,
    );
    bar.wake();
    mock.timers.tick(3999);
    assert.equal(bar.hidden, false);
    mock.timers.tick(1);
    assert.deepEqual([bar.hidden, changes], [true, 1]);
    bar.wake();
    assert.deepEqual([bar.hidden, changes], [false, 2]);
    mock.timers.tick(2000);
    bar.wake(); // activity halfway: the count starts again
    mock.timers.tick(3999);
    assert.equal(bar.hidden, false);
    mock.timers.tick(1);
    assert.equal(bar.hidden, true);
    bar.stop();
    mock.timers.reset();
  });

  it('stays while it may not hide (a menu open, the focus inside), and hides once it may', () => {
    let may = false;
    const bar = new AutoHide(
      4000,
      () => may,
      () => undefined,
    );
    bar.wake();
    mock.timers.tick(12_000);
    assert.equal(bar.hidden, false);
    may = true;
    mock.timers.tick(4000);
    assert.equal(bar.hidden, true);
    bar.stop();
    assert.equal(bar.hidden, false);
    mock.timers.tick(60_000);
    assert.equal(bar.hidden, false, 'stopped: it never hides again by itself');
    mock.timers.reset();
  });
});
