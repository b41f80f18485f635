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
