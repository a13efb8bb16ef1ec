// Blocklist files: the parser (CIDRs and bare addresses, both families, comments, malformed lines reported by line
// number and skipped) and the reloader (a changed or replaced file read again, a broken one leaving the last good).
import { mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeProblem, parseBlocklist } from './blocklist';
import { BlocklistError, BlocklistFiles } from './blocklistFiles';
import { CidrSet, parseAddress, parseCidr } from './cidr';

describe('parseBlocklist', () => {
  it('reads CIDRs and addresses of both families, skipping comments and blank lines', () => {
    const text = [
      '# known bad addresses',
      '198.51.100.0/24',
      '  203.0.113.7   # a single host',
      '',
      '2001:db8:bad::/48',
      '2001:db8::1',
      '::ffff:192.0.2.0/120',
    ].join('\n');
    const parsed = parseBlocklist(text, 'bad.txt');
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => [e.line, e.cidr.version, e.cidr.prefix])).toEqual([
      [2, 4, 24],
      [3, 4, 32],
      [5, 6, 48],
      [6, 6, 128],
      [7, 4, 24],
    ]);
  });

  it('reports each malformed line with its number and reason, and keeps the good ones', () => {
    const text = [
      '10.0.0.0/8',
      '10.0.0.0/33',
      'not-an-address',
      '300.1.1.1',
      '10.1.0.0/16 extra',
      '2001:db8::/129',
      '192.0.2.1',
    ].join('\r\n');
    const parsed = parseBlocklist(text, '/etc/bl.txt');
    expect(parsed.entries.map((e) => e.line)).toEqual([1, 7]);
    expect(parsed.malformedLines).toBe(5);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6]);
    expect(describeProblem(parsed.problems[0])).toBe(
      'blocklist /etc/bl.txt line 2: prefix length "33" is not 0–32; the line is skipped'
    );
    expect(parsed.problems[1].reason).toBe('"not-an-address" is not an IPv4 or IPv6 address');
    expect(parsed.problems[3].reason).toMatch(/more than one field/);
  });

  it('keeps only the first problems of a file of garbage, counting the rest', () => {
    const parsed = parseBlocklist(Array(500).fill('garbage').join('\n'), 'junk');
    expect(parsed.malformedLines).toBe(500);
    expect(parsed.problems).toHaveLength(20);
  });
});

describe('CidrSet', () => {
  it('finds the most specific block holding an address, IPv4-mapped IPv6 as IPv4', () => {
    const set = new CidrSet<string>();
    for (const text of ['10.0.0.0/8', '10.1.0.0/16', '2001:db8::/32', '0.0.0.0/0']) {
      const cidr = parseCidr(text);
      if (typeof cidr === 'string') {
        throw new Error(cidr);
      }
      set.add(cidr, text);
    }
    const find = (ip: string) => set.match(parseAddress(ip)!);
    expect(find('10.1.2.3')).toBe('10.1.0.0/16');
    expect(find('10.2.2.3')).toBe('10.0.0.0/8');
    expect(find('::ffff:10.1.0.9')).toBe('10.1.0.0/16');
    expect(find('11.0.0.1')).toBe('0.0.0.0/0');
    expect(find('2001:db8:ffff::1')).toBe('2001:db8::/32');
    expect(find('2001:db9::1')).toBeUndefined();
  });
});

describe('BlocklistFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wt-blocklist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('logs malformed lines at load and matches the rest', () => {
    const file = join(dir, 'bl.txt');
    writeFileSync(file, '198.51.100.0/24\nbogus\n');
    const logged: string[] = [];
    const list = new BlocklistFiles([file], (_level, m) => logged.push(m));
    expect(list.match('198.51.100.9')).toMatchObject({ file, line: 1 });
    expect(list.match('198.51.101.9')).toBeUndefined();
    expect(logged).toEqual([`blocklist ${file} line 2: "bogus" is not an IPv4 or IPv6 address; the line is skipped`]);
    expect(list.stats).toMatchObject({ entries: 1, malformedLines: 1 });
  });

  it('reads a file again when it changes or is replaced, and keeps the last good version when it goes away', () => {
    const file = join(dir, 'bl.txt');
    writeFileSync(file, '198.51.100.0/24\n');
    const logged: string[] = [];
    const list = new BlocklistFiles([file], (_level, m) => logged.push(m));
    expect(list.reloadChanged()).toBe(false);
    writeFileSync(file, '198.51.100.0/24\n203.0.113.0/24\n');
    expect(list.reloadChanged()).toBe(true);
    expect(list.match('203.0.113.5')).toMatchObject({ line: 2 });
    // A ConfigMap update replaces the file by a rename.
    writeFileSync(join(dir, 'next'), '192.0.2.0/24\n');
    renameSync(join(dir, 'next'), file);
    expect(list.reloadChanged()).toBe(true);
    expect(list.match('203.0.113.5')).toBeUndefined();
    expect(list.match('192.0.2.1')).toMatchObject({ line: 1 });
    unlinkSync(file);
    expect(list.reloadChanged()).toBe(false);
    expect(list.match('192.0.2.1')).toBeDefined();
    expect(logged.at(-1)).toMatch(/cannot read blocklist .*; the previous version stays in use/);
    expect(list.stats).toMatchObject({ reloads: 2, reloadFailures: 1 });
  });

  it('reloads on its timer', async () => {
    const file = join(dir, 'bl.txt');
    writeFileSync(file, '198.51.100.0/24\n');
    const list = new BlocklistFiles([file], () => undefined);
    list.start(50);
    try {
      writeFileSync(file, '203.0.113.0/24\n');
      const deadline = Date.now() + 30_000;
      while (!list.match('203.0.113.1') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(list.match('203.0.113.1')).toBeDefined();
    } finally {
      list.stop();
    }
  });

  it('refuses to start on a file it cannot read, naming it', () => {
    expect(() => new BlocklistFiles([join(dir, 'missing.txt')], () => undefined)).toThrow(BlocklistError);
    expect(() => new BlocklistFiles([join(dir, 'missing.txt')], () => undefined)).toThrow(/missing\.txt/);
  });
});
