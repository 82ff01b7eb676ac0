import { BlockList, isIPv4 } from 'node:net';

/** Whether a client address lies in one of the CIDR blocks (IPv4-mapped IPv6 addresses count as IPv4). */
export function trustedNetworks(cidrs: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const c of cidrs) {
    const [address, prefix] = c.split('/');
    list.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
  }
  return (ip) => {
    const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    return isIPv4(v4) ? list.check(v4, 'ipv4') : list.check(ip, 'ipv6');
  };
}
