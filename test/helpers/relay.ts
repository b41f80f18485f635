// Real servers for browser tests, started by test/plugins/relay-plugin.mjs in the test runner.
import { executeServerCommand } from '@web/test-runner-commands';

export interface RelayHandle {
  id: string;
  url: string;
  port: number;
}

export interface TurnHandle {
  id: string;
  port: number;
  urls: string[];
  secret: string;
}

/** Starts the real relay (createSignalingServer) on 127.0.0.1, port 0. */
export function startRelay(options: Record<string, unknown> = {}): Promise<RelayHandle> {
  return executeServerCommand('relay-start', options);
}

export function stopRelay(relay: RelayHandle, abrupt = false): Promise<unknown> {
  return executeServerCommand('relay-stop', { id: relay.id, abrupt });
}

/** Kills the relay (every connection cut, as a crash) and starts it again on the same port. */
export function restartRelay(relay: RelayHandle): Promise<RelayHandle> {
  return executeServerCommand('relay-restart', { id: relay.id, abrupt: true });
}

/** Starts a real coturn on loopback with a shared secret (TURN REST API). */
export function startCoturn(): Promise<TurnHandle> {
  return executeServerCommand('coturn-start', {});
}

export function restartCoturn(turn: TurnHandle): Promise<TurnHandle> {
  return executeServerCommand('coturn-restart', { id: turn.id });
}

export function stopCoturn(turn: TurnHandle): Promise<unknown> {
  return executeServerCommand('coturn-stop', { id: turn.id });
}

/** Kills the relay as a crash would (every connection cut); `reviveRelay` brings it back. */
export function killRelay(relay: RelayHandle): Promise<unknown> {
  return executeServerCommand('relay-kill', { id: relay.id });
}

/** Starts a killed relay again on the same port, with the same options and an empty memory. */
export function reviveRelay(relay: RelayHandle): Promise<RelayHandle> {
  return executeServerCommand('relay-revive', { id: relay.id });
}

/** What the relay holds right now: Socket.IO connections and participants in rooms. */
export function relayStats(relay: RelayHandle): Promise<{ connections: number; participants: number }> {
  return executeServerCommand('relay-stats', { id: relay.id });
}
