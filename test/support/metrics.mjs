// Reading a relay's Prometheus metrics (its METRICS_PORT listener): for tests and benches,
// which need the counts /healthz no longer shows.

/**
 * The samples of a Prometheus text answer at `metricsUrl`, by name with labels
 * (`p2p_video_call_participants`, `p2p_video_call_answers_total{event="join",result="ok"}`).
 */
export async function readMetrics(metricsUrl) {
  const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) });
  if (!response.ok) throw new Error(`GET ${metricsUrl} answered ${response.status}`);
  const samples = new Map();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (match) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

/** The relay's connections, rooms and participants now. */
export async function relayCounts(metricsUrl) {
  const samples = await readMetrics(metricsUrl);
  const get = (name) => samples.get(`p2p_video_call_${name}`) ?? NaN;
  return { connections: get('connections'), rooms: get('rooms'), participants: get('participants') };
}
