// What the per-address limits count: one IPv4 address, or one IPv6 /64. A single IPv6 host is
// usually handed a whole /64 (SLAAC, privacy addresses), so counting each full IPv6 address
// would give one visitor 2^64 addresses' worth of connections and joins.
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The block `address` is limited as: an IPv4 address as is (also when written IPv4-mapped,
 * `::ffff:192.0.2.1`), an IPv6 address as its /64 (`2001:db8:1:2::/64`), anything else
 * (`unknown`) as is.
 */
export function limitedAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  // A zone (`fe80::1%eth0`) names the interface, not the host.
  const bare = address.split('%')[0];
  if (!isIPv6(bare)) return address;
  const [head, tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = bare.includes('::') && tail ? tail.split(':') : [];
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups; the /64 never reaches it.
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
