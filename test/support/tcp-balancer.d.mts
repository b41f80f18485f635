export interface TcpBalancer {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Client connections open now. */
  connections(): number;
  close(): Promise<void>;
}
/** A TCP load balancer on 127.0.0.1 in front of these ports: round robin over those that accept. */
export function startTcpBalancer(backends: number[]): Promise<TcpBalancer>;
