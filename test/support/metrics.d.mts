/** The samples of a Prometheus text answer, by name with labels. */
export function readMetrics(metricsUrl: string): Promise<Map<string, number>>;
/** The relay's connections, rooms and participants now. */
export function relayCounts(metricsUrl: string): Promise<{ connections: number; rooms: number; participants: number }>;
