import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createSignalingServer } from '../relay/create-signaling-server.js';

describe('the Grafana dashboard (docs/grafana-dashboard.json)', () => {
  it('queries only metrics the relay serves', async () => {
    const relay = createSignalingServer({ logger: false, staticFiles: false });
    try {
      const text = await relay.metrics.registry.metrics();
      const families = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name]) => name));
      const served = (name: string) => families.has(name) || families.has(name.replace(/_(bucket|sum|count|total)$/, ''));
      const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
        panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
      };
      const used = dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap(({ expr }) =>
          [...expr.matchAll(/\b((?:p2p_video_call|process|nodejs)_[a-z0-9_]+)/g)].map(([, name]) => name),
        ),
      );
      assert.ok(used.length >= 10);
      assert.deepEqual(
        used.filter((name) => !served(name)),
        [],
      );
    } finally {
      await relay.close();
    }
  });
});

describe('the process metrics', () => {
  it('are collected once per process, however many relays it starts, and served by each', async () => {
    const relays = [1, 2, 3].map(() => createSignalingServer({ logger: false, staticFiles: false }));
    try {
      const cpu = relays.map((relay) => relay.metrics.registry.getSingleMetric('process_cpu_user_seconds_total'));
      assert.ok(cpu[0], 'served');
      assert.ok(
        cpu.every((metric) => metric === cpu[0]),
        'one collector (each set of default metrics starts a GC observer nothing stops)',
      );
      assert.match(await relays[2].metrics.registry.metrics(), /^nodejs_eventloop_lag_seconds /m);
    } finally {
      await Promise.all(relays.map((relay) => relay.close()));
    }
    // A relay started after others closed still serves them.
    const later = createSignalingServer({ logger: false, staticFiles: false });
    try {
      assert.match(await later.metrics.registry.metrics(), /^process_cpu_user_seconds_total /m);
    } finally {
      await later.close();
    }
  });
});
