// Network faults on loopback for tests and benchmarks: nftables rules on the `input` hook of the
// loopback-only namespace (scripts/loopback-only.sh), where every packet between the browsers,
// coturn and the relay passes once, for drops and loss; a rate cap is a real bottleneck with a
// queue, an HTB class on lo's egress (tc), since a policer that drops at once gives a sender's
// congestion control no delay to see. The kernel here has no netem; these do what the tests need
// (see /work/shared/BROWSER-TESTING.md "Network faults").
//
//   const net = await networkFaults();
//   t.after(() => net.close());          // always: the rules go, whatever happened
//   await net.dropUdp();                 // media, STUN, TURN/UDP gone
//   await net.heal();                    // back
//
// Each instance owns one table (`inet p2p_fault_<pid>_<n>`); heal() deletes it, close() too, and
// a process exit deletes whatever is left. It refuses to run outside a network namespace whose
// only interface is loopback, so a test can never cut the machine's own network.

import { execFile, execFileSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NFT = process.env.NFT_PATH ?? 'nft';
const TC = process.env.TC_PATH ?? 'tc';
/** Tables of this process still in place, deleted on exit if a test forgot. */
const live = new Set();
let made = 0;
/** The instance whose rate caps hold lo's root qdisc (one per namespace), if any. */
let shaping = null;
/** Packets a capped class queues: about 0.3 s at 300 kbit/s, a small router's buffer. */
const QUEUE_PACKETS = 10;

process.once('exit', () => {
  const quietly = (command, args) => {
    try {
      execFileSync(command, args, { stdio: 'ignore' });
    } catch {
      // Gone already.
    }
  };
  for (const table of live) quietly(NFT, ['delete', 'table', 'inet', table]);
  if (shaping) quietly(TC, ['qdisc', 'del', 'dev', 'lo', 'root']);
});

function assertLoopbackNamespace() {
  const names = Object.keys(networkInterfaces());
  if (names.some((name) => name !== 'lo')) {
    throw new Error(
      `networkFaults() runs only in the loopback-only namespace (scripts/loopback-only.sh); interfaces here: ${names.join(', ')}`,
    );
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 */
async function exec(command, args) {
  try {
    await run(command, args);
  } catch (error) {
    const err = /** @type {NodeJS.ErrnoException & { stderr?: string }} */ (error);
    const why =
      err.code === 'ENOENT' ? `${command} not found: install it (node scripts/ensure-system-deps.mjs)` : (err.stderr ?? err.message);
    throw new Error(`${command} ${args.join(' ')}: ${why.trim()}`, { cause: error });
  }
}

/** @param {string[]} args */
const nft = (args) => exec(NFT, args);
/** @param {string} args */
const tc = (args) => exec(TC, args.split(' '));

/**
 * A fault injector with a table of its own.
 *
 * @returns {Promise<import('./network-faults.d.mts').NetworkFaults>}
 */
export async function networkFaults() {
  assertLoopbackNamespace();
  const table = `p2p_fault_${process.pid}_${++made}`;
  let installed = false;
  /** @type {string[]} */
  let active = [];

  /** @param {string} rule */
  const add = async (rule) => {
    if (!installed) {
      await nft(['add', 'table', 'inet', table]);
      live.add(table);
      installed = true;
      await nft(['add', 'chain', 'inet', table, 'in', '{ type filter hook input priority 0; policy accept; }']);
    }
    await nft(['add', 'rule', 'inet', table, 'in', ...rule.split(' ')]);
    active.push(rule);
  };

  let caps = 0;
  /** A rate cap: an HTB class of its own for UDP (from `port`, or all), with a short queue. */
  const shape = async (kbit, port) => {
    if (shaping && shaping !== table) throw new Error('another networkFaults() instance caps the rate: close it first');
    if (!shaping) {
      shaping = table;
      // Everything else goes through the default class, as fast as lo goes.
      await tc('qdisc add dev lo root handle 1: htb default 1 r2q 100000');
      await tc('class add dev lo parent 1: classid 1:1 htb rate 100gbit');
    }
    const id = 10 + ++caps;
    await tc(`class add dev lo parent 1: classid 1:${id} htb rate ${kbit}kbit ceil ${kbit}kbit`);
    await tc(`qdisc add dev lo parent 1:${id} handle ${id}: pfifo limit ${QUEUE_PACKETS}`);
    const from = port === undefined ? '' : ` match ip sport ${port} 0xffff`;
    await tc(`filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff${from} flowid 1:${id}`);
    active.push(`udp${port === undefined ? '' : ` sport ${port}`} at ${kbit} kbit/s`);
  };

  // Each deletion is tried whatever the other did, and forgotten only once it worked: a failed
  // heal is retried by close() and at exit.
  const heal = async () => {
    active = [];
    const failures = [];
    if (shaping === table) {
      await tc('qdisc del dev lo root').then(
        () => {
          shaping = null;
          caps = 0;
        },
        (error) => failures.push(error),
      );
    }
    if (installed) {
      await nft(['delete', 'table', 'inet', table]).then(
        () => {
          installed = false;
          live.delete(table);
        },
        (error) => failures.push(error),
      );
    }
    if (failures.length) throw failures[0];
  };

  return {
    get rules() {
      return [...active];
    },
    dropUdp: () => add('meta l4proto udp drop'),
    async dropTcpPort(port) {
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`not a port: ${port}`);
      await add(`tcp dport ${port} drop`);
      await add(`tcp sport ${port} drop`);
    },
    loss(percent) {
      if (!(percent > 0 && percent < 100)) throw new RangeError(`loss is a share in percent (0–100 exclusive), not ${percent}`);
      return add(`meta l4proto udp numgen random mod 100 < ${Math.round(percent)} drop`);
    },
    rateCap(kbitPerSecond, { fromPort } = {}) {
      if (!(kbitPerSecond > 0)) throw new RangeError(`not a rate: ${kbitPerSecond}`);
      if (fromPort !== undefined && !(Number.isInteger(fromPort) && fromPort > 0 && fromPort <= 65535))
        throw new RangeError(`not a port: ${fromPort}`);
      // Without a port, both directions share the cap (the feedback that tells a sender to slow
      // down included); with one, only what that socket sends (one visitor's uplink).
      return shape(Math.round(kbitPerSecond), fromPort);
    },
    heal,
    close: heal,
  };
}
