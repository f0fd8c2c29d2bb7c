#!/usr/bin/env python3
"""Host verification for user-blocks-panic.

Expected bytes come from bugcheck-blocks' documented pattern and the
parameters guest.sh passed it ($OUT/params); pids, comms and uids from what
the guest saw (the shell's $!, /proc/PID/comm, /proc/PID/status).  The only
things taken from the programs' own output are the block addresses, which
only they can know; those are checked against the mapping rules (-u puts a
block 100 bytes into its page).  Prints "ok - ..." / "FAIL ...", exits 1 on
any failure.
"""
import os
import re
import subprocess
import sys

RUN = os.environ['RUN_DIR']
USERSPACE = os.environ['USERSPACE']
VMLINUX = os.environ['VMLINUX']
OUT = os.path.join(RUN, 'out-first')
CAP = os.path.join(RUN, 'out-capture')
PAGE = 4096
UNALIGNED_OFFSET = 100

failed = 0


def check(cond, what, why=''):
    global failed
    if cond:
        print('ok - %s' % what)
    else:
        failed += 1
        print('FAIL %s: %s' % (what, why))
    return cond


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def pattern(seed, b, size):
    """bugcheck-blocks(1): byte i of block b is SEED*131 + b*37 + i*7 + (i>>8)."""
    return bytes((seed * 131 + b * 37 + i * 7 + (i >> 8)) & 0xff for i in range(size))


# --- what the guest did ------------------------------------------------------
procs = {}  # name -> dict
for line in (read(os.path.join(OUT, 'params')) or '').splitlines():
    name, user, seed, count, size, unaligned = line.split()
    procs[name] = dict(name=name, user=user, seed=None if seed == '-' else int(seed),
                       count=int(count), size=int(size), unaligned=unaligned == '1')
if not check(set(procs) == {'root', 'nobody', 'unmapped'}, 'guest.sh wrote its parameters',
             'params: %s' % sorted(procs)):
    sys.exit(1)

blocks = []
LINE = re.compile(r'^block (\d+) pid (\d+) addr 0x([0-9a-f]+) size (\d+)( unmapped)?$')
for p in procs.values():
    n = p['name']
    p['pid'] = int((read(os.path.join(OUT, 'pid-' + n)) or '-1').strip())
    p['comm'] = (read(os.path.join(OUT, 'comm-' + n)) or '').strip()
    p['uid'] = (read(os.path.join(OUT, 'uid-' + n)) or '').strip()
    text = read(os.path.join(OUT, 'hold-%s.txt' % n)) or ''
    check('ready' in text.splitlines(), '%s: the holder got ready' % n, repr(text[-300:]))
    mine = [m.groups() for m in map(LINE.match, text.splitlines()) if m]
    check(len(mine) == p['count'], '%s: %d blocks printed' % (n, p['count']), '%d' % len(mine))
    want_uid = '65534' if p['user'] == 'nobody' else '0'
    check(p['uid'] == want_uid, '%s: the process ran as uid %s' % (n, want_uid), 'uid %r' % p['uid'])
    for b, pid, addr, size, unm in mine:
        blk = dict(proc=p, b=int(b), pid=int(pid), addr=int(addr, 16), size=int(size),
                   unmapped=bool(unm))
        check(blk['pid'] == p['pid'], '%s block %s: pid is the one the shell started' % (n, b),
              'printed %d, $! %d' % (blk['pid'], p['pid']))
        check(blk['size'] == p['size'], '%s block %s: size %d' % (n, b, p['size']), str(blk['size']))
        off = UNALIGNED_OFFSET if p['unaligned'] else 0
        check(blk['addr'] % PAGE == off, '%s block %s: address %d bytes into a page' % (n, b, off),
              hex(blk['addr']))
        blocks.append(blk)
check(len(blocks) == 6, 'six blocks in all', str(len(blocks)))


def expected(blk):
    return b'' if blk['unmapped'] else pattern(blk['proc']['seed'], blk['b'], blk['size'])


# --- crash: bcblocks (crash.cmds) ------------------------------------------------
crash_out = read(os.path.join(RUN, 'crash.out'), '')
sect = crash_out.split('@@ bcblocks', 1)[-1].split('@@ bugdump', 1)[0]
ROW = re.compile(r'^\s*(\d+)\s+(\S+)\s+([0-9a-f]{16})\s+(\d+)\s+(\d+)\s+(\S+)\s*$')
rows = [m.groups() for m in map(ROW.match, sect.splitlines()) if m]
check(re.search(r'^\s*PID\s+COMM\s+ADDRESS\s+SIZE\s+COPIED\s+FLAGS\s*$', sect, re.M),
      'bcblocks: header PID COMM ADDRESS SIZE COPIED FLAGS')
check(len(rows) == len(blocks), 'bcblocks lists exactly the %d blocks' % len(blocks),
      '%d rows:\n%s' % (len(rows), sect[:2000]))
for blk in blocks:
    n = '%s block %d' % (blk['proc']['name'], blk['b'])
    r = [x for x in rows if int(x[0]) == blk['pid'] and int(x[2], 16) == blk['addr']]
    if not check(len(r) == 1, 'bcblocks: %s has one row (pid %d, %#x)' % (n, blk['pid'], blk['addr']),
                 '%d rows' % len(r)):
        continue
    pid, comm, addr, size, copied, flags = r[0]
    check(comm == blk['proc']['comm'], 'bcblocks: %s comm is %r as in the guest' % (n, comm),
          'guest saw %r' % blk['proc']['comm'])
    check(int(size) == blk['size'], 'bcblocks: %s size' % n, size)
    if blk['unmapped']:
        check(int(copied) == 0 and 'unmapped' in flags.split(','),
              'bcblocks: %s: flag unmapped, 0 bytes copied' % n,
              'copied %s flags %s' % (copied, flags))
    else:
        check(int(copied) == blk['size'] and flags == '-',
              'bcblocks: %s: all %d bytes copied, no flags' % (n, blk['size']),
              'copied %s flags %s' % (copied, flags))

# bugdump user-blocks: the uid each block was registered under.
sect = crash_out.split('@@ bugdump user-blocks', 1)[-1].split('@@ end', 1)[0]
UB = re.compile(r'USER BLOCK: pid (\d+)\s+uid (\d+)\s+comm (\S+)\s+address ([0-9a-f]+)\s+size (\d+)')
ub = {(int(m.group(1)), int(m.group(4), 16)): m for m in UB.finditer(sect)}
for blk in blocks:
    m = ub.get((blk['pid'], blk['addr']))
    check(m is not None and m.group(2) == blk['proc']['uid'],
          'bugdump user-blocks: %s block %d recorded with uid %s' % (blk['proc']['name'], blk['b'],
                                                                    blk['proc']['uid']),
          m.group(0) if m else 'no USER BLOCK line')

# --- crash: per-process and per-block commands -----------------------------------
cmds = ['extend %s/bugcheck.so' % USERSPACE]
for p in procs.values():
    cmds += ['!echo "@@ x %d"' % p['pid'], 'bcblocks -p %d -x' % p['pid']]
for blk in blocks:
    blk['file'] = os.path.join(RUN, 'block-%d-%x.bin' % (blk['pid'], blk['addr']))
    if os.path.exists(blk['file']):
        os.unlink(blk['file'])
    cmds.append('bcblocks -p %d -a %x -f %s' % (blk['pid'], blk['addr'], blk['file']))
cmds += ['!echo "@@ end"', 'quit']
with open(os.path.join(RUN, 'crash-blocks.cmds'), 'w') as f:
    f.write('\n'.join(cmds) + '\n')
with open(os.path.join(RUN, 'crash-blocks.cmds')) as fin, \
        open(os.path.join(RUN, 'crash-blocks.out'), 'w') as fout:
    rc = subprocess.call(['crash', '-s', VMLINUX, os.path.join(RUN, 'vmcore')], stdin=fin,
                         stdout=fout, stderr=subprocess.STDOUT)
out = read(os.path.join(RUN, 'crash-blocks.out'), '')
check(rc == 0, 'crash ran the per-block commands (crash-blocks.out)', 'exit %d' % rc)

for blk in blocks:
    n = '%s block %d' % (blk['proc']['name'], blk['b'])
    data = open(blk['file'], 'rb').read() if os.path.exists(blk['file']) else None
    if blk['unmapped']:
        check(not data, 'bcblocks -a -f: %s: no contents' % n, '%d bytes' % len(data or b''))
        continue
    want = expected(blk)
    first = next((i for i in range(min(len(want), len(data or b''))) if data[i] != want[i]), None)
    check(data == want, 'bcblocks -p %d -a %x -f: %s is exact (%d bytes)' % (blk['pid'], blk['addr'], n,
                                                                           len(want)),
          'missing file' if data is None else '%d bytes, first difference at %s' % (len(data), first))

# bcblocks -p PID -x: rows "ADDR:  xx xx ... (8) xx ... ascii", labelled with process addresses.
HEX = re.compile(r'^([0-9a-f]{16}):  (.{49})')
for p in procs.values():
    parts = re.split(r'^@@ x %d$' % p['pid'], out, maxsplit=1, flags=re.M)
    sect = parts[-1].split('@@ ', 1)[0] if len(parts) == 2 else ''
    got = {}
    for line in sect.splitlines():
        m = HEX.match(line)
        if not m:
            continue
        cols = m.group(2)
        vals = [cols[i * 3 + (i >= 8):i * 3 + (i >= 8) + 2] for i in range(16)]
        addr = int(m.group(1), 16)
        for i, v in enumerate(vals):
            if v.strip():
                got[addr + i] = int(v, 16)
    mine = [b for b in blocks if b['pid'] == p['pid']]
    good = True
    for blk in mine:
        want = expected(blk)
        good &= all(got.get(blk['addr'] + i) == want[i] for i in range(len(want)))
    total = sum(len(expected(b)) for b in mine)
    check(good and len(got) == total,
          'bcblocks -p %d -x: %s\'s hex dump is exactly its blocks (%d bytes)' % (p['pid'], p['name'],
                                                                                  total),
          '%d bytes dumped' % len(got))

# --- the capture-side record, read by bugcheck-record -------------------------------
rec = os.path.join(CAP, 'record.bin')
check((read(os.path.join(CAP, 'save.rc')) or '').strip() == '0', 'bugcheck-save carved the record',
      read(os.path.join(CAP, 'save.log'), 'no save.log'))
tool = os.path.join(USERSPACE, 'bugcheck-record')
for blk in blocks:
    n = '%s block %d' % (blk['proc']['name'], blk['b'])
    f = os.path.join(RUN, 'record-%d-%x.bin' % (blk['pid'], blk['addr']))
    if os.path.exists(f):
        os.unlink(f)
    r = subprocess.run([tool, 'blocks', '-p', str(blk['pid']), '-a', '%x' % blk['addr'], '-o', f, rec],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    data = open(f, 'rb').read() if os.path.exists(f) else None
    if blk['unmapped']:
        check(not data, 'bugcheck-record blocks -o: %s: no contents' % n, r.stdout[-300:])
    else:
        check(r.returncode == 0 and data == expected(blk),
              'bugcheck-record blocks -p PID -a ADDR -o: %s is exact' % n,
              'exit %d, %s; %s' % (r.returncode, 'no file' if data is None else '%d bytes' % len(data),
                                   r.stdout[-300:]))
r = subprocess.run([tool, 'blocks', rec], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
rows2 = [m.groups() for m in map(ROW.match, r.stdout.splitlines()) if m]
check(sorted(rows2) == sorted(rows), 'bugcheck-record blocks lists what bcblocks lists',
      r.stdout[-1000:])

# --- the debugfs view before the panic --------------------------------------------------
dbg = read(os.path.join(OUT, 'debugfs-blocks.txt'), '')
DROW = re.compile(r'^(\d+)\s+(\S+)\s+0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s+(\S+)\s*$')
drows = [m.groups() for m in map(DROW.match, dbg.splitlines()) if m]
ok = len(drows) == len(blocks)
for blk in blocks:
    a = blk['addr']
    pages = ((a + blk['size'] + PAGE - 1) // PAGE) - a // PAGE
    ok &= any(int(d[0]) == blk['pid'] and int(d[2], 16) == a and int(d[3]) == blk['size'] and
              int(d[4]) == pages and (d[5] == 'unmapped') == blk['unmapped'] for d in drows)
check(ok, 'debugfs blocks before the panic: each block with its pid, size, pages, flag', dbg[-1500:])

sys.exit(1 if failed else 0)
