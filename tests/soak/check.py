#!/usr/bin/env python3
"""Check one soak cycle: what gen.py computes from the seed alone against what the vmcore holds.

Reads RUN/bugcheck_record.bin, RUN/bugcheck_soak_removed.bin and
RUN/bugcheck_soak_mirrors.bin (dumped from the vmcore by the scenario's check)
and the guest's RUN/out-first/.  Prints "ok - ..." / "FAIL ...: why" lines, then
"soak-result: seed S passed 0|1 lost 0|1 wrong B", where lost is 1 when no valid
record came out of the vmcore and B counts the contributed bytes (record
payloads, mirrors, removed ranges) that differ from what they must be.
"""
import argparse
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
import bcrecord  # noqa: E402
import gen  # noqa: E402

failed = 0
wrong = 0


def check(cond, what, why=''):
    global failed
    if cond:
        print('ok - %s' % what)
    else:
        failed += 1
        print('FAIL %s: %s' % (what, why))
    return cond


def diff(got, want):
    """Bytes that differ, a missing or extra byte counting as one."""
    n = sum(a != b for a, b in zip(got, want))
    return n + abs(len(got) - len(want))


def first_diff(got, want):
    return next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))


def read(path, mode='r'):
    try:
        with open(path, mode) as f:
            return f.read()
    except OSError:
        return None


def expected_payload(seed, plan, exp, s):
    d = s['data']
    if d is None:
        return b''
    if d[0] == 'soak':
        return gen.soak_bytes(seed, d[1], d[2], d[3])
    if d[0] == 'removed':
        (q, r), n = d[1], d[2]
        if (q, r) in exp['scrubbed']:
            return bytes(n)
        return removed_bytes(seed, plan, q, r)[:n]
    return None


def removed_bytes(seed, plan, q, r):
    c = next(x for x in plan['clients'] if x['idx'] == q)
    off = sum(c['sizes'][:r]) * gen.PAGE
    return gen.soak_bytes(seed, q, off, c['sizes'][r] * gen.PAGE)


def check_fault(s, got, mis, idx):
    ip, trap, err, what = struct.unpack('<QII48s', got[:64])
    what = what.split(b'\0')[0].decode('utf-8', 'replace')
    if mis == gen.PANIC:
        return trap == 0xffffffff and what == gen.panic_message(idx)[:47], 'trap %#x what %r' % (trap, what)
    # A read of 0x10: a page fault, or under KASAN a GP fault on its shadow.
    pf = trap == 14 and what == 'Oops'
    gp = trap == 13 and what.startswith('general protection fault')
    return (pf or gp) and ip != 0, 'trap %d ip %#x what %r' % (trap, ip, what)


def main():
    global wrong
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--run', required=True)
    ap.add_argument('--removed-address', default='0')
    ap.add_argument('--covering', action='store_true', help='the plan must show every misbehaviour, reason and user blocks')
    a = ap.parse_args()
    seed, run = a.seed, a.run
    removed_ptr = int(a.removed_address, 16)
    plan = gen.make_plan(seed)
    exp = gen.expect(plan)
    print('plan: %s' % gen.describe(plan))
    if a.covering:
        have = gen.coverage(plan)
        check(have == gen.FEATURES, 'the plan shows every misbehaviour and reason: %s' % ', '.join(have),
              'missing: %s' % ', '.join(sorted(set(gen.FEATURES) - set(have))))
    lost = 0

    data = read(os.path.join(run, 'bugcheck_record.bin'), 'rb') or b''
    try:
        rec = bcrecord.decode(data)
    except bcrecord.RecordError as e:
        check(False, 'the record decodes: COMPLETE, CRC good', str(e))
        print('soak-result: seed %d passed 0 lost 1 wrong 0' % seed)
        return 1
    check(True, 'the record decodes: COMPLETE, header CRC and every payload CRC good (%d bytes)' % rec['used'])

    # --- header ---------------------------------------------------------------
    h = exp['header']
    check(rec['code'] == 1 and rec['message'] == 'sysrq triggered crash' and rec['dump_type'] == 1,
          'header: PANIC "sysrq triggered crash", capture kernel loaded',
          '%#x %r %d' % (rec['code'], rec['message'], rec['dump_type']))
    for k in ('flags', 'reentries', 'dropped_sections', 'dropped_bytes'):
        check(rec[k] == h[k], 'header: %s %s' % (k, h[k]), 'got %s' % rec[k])

    # --- callback table -------------------------------------------------------
    want_cbs = exp['callbacks']
    got_cbs = rec['callbacks']
    check(len(got_cbs) == len(want_cbs), 'callback table: %d entries' % len(want_cbs),
          'got %d: %s' % (len(got_cbs), [c['component'] for c in got_cbs]))
    fields = ('component', 'module', 'reason', 'state', 'flags', 'bytes', 'sections', 'calls')
    for i, w in enumerate(want_cbs):
        g = got_cbs[i] if i < len(got_cbs) else {}
        bad = ['%s %r, not %r' % (f, g.get(f), w[f]) for f in fields if g.get(f) != w[f]]
        cl = next((c for c in plan['clients'] if c['idx'] == w.get('client')), None)
        label = '%s (%s%s)' % (w['component'], w['reason'],
                               ', ' + gen.MIS[cl['mis']] if cl and cl['mis'] else '')
        check(not bad, 'callback %d %s: %s %#x, %d bytes, %d sections, %d calls' % (
            i, label, w['state'], w['flags'], w['bytes'], w['sections'], w['calls']), '; '.join(bad))
    gone = [c for c in plan['clients'] if c['mis'] == gen.GONE]
    comps = {c['component'] for c in got_cbs}
    warn = read(os.path.join(run, 'out-first', 'gone-warnings')) or ''
    for c in gone:
        name = 'soak-%d' % c['idx']
        check(name not in comps, '%s (unloaded without deregistering) is not in the record' % name)
        check("module bugcheck_test_soak_gone unloaded without deregistering callback '%s'" % name in warn,
              '%s: its unload was warned about' % name, warn[-300:])

    # --- sections (the user blocks apart) -------------------------------------
    got_secs = [s for s in rec['sections'] if s['type'] != 'user-block']
    want_secs = exp['sections']
    check(len(got_secs) == len(want_secs), '%d sections besides the user blocks' % len(want_secs),
          'got %d' % len(got_secs))
    bases = {}
    for i, w in enumerate(want_secs):
        g = got_secs[i] if i < len(got_secs) else None
        label = 'section %d (soak-%s %s part %d, %d bytes)' % (i, w['client'], w['type'], w['part'], w['length'])
        if g is None:
            check(False, label, 'missing')
            if w['data'] and w['data'][0] != 'fault':
                wrong += w['length']
            continue
        bad = ['%s %r, not %r' % (f, g[f], w[f]) for f in ('callback', 'type', 'flags', 'length', 'part', 'guid',
                                                            'count') if g[f] != w[f]]
        if w['type'] == 'fault':
            good, why = check_fault(g, g['payload'], w['data'][1], w['data'][2])
            if not good:
                bad.append(why)
        else:
            want = expected_payload(seed, plan, exp, w)
            n = diff(g['payload'], want)
            wrong += n
            if n:
                bad.append('%d bytes wrong, first at %d' % (n, first_diff(g['payload'], want)))
        adr = w.get('address')
        if adr and adr[0] == 'rem':
            if g['address'] != removed_ptr + adr[1] * gen.PAGE:
                bad.append('address %#x, not the removed area %#x + %d pages' % (g['address'], removed_ptr, adr[1]))
        elif adr and adr[0] in ('add', 'tri'):
            # Ranges of one buffer: the same base for every one of them.
            off = adr[2] * gen.PAGE if adr[0] == 'add' else adr[1]
            base = bases.setdefault((adr[0], w['client']), g['address'] - off)
            if g['address'] - off != base:
                bad.append('address %#x is not its buffer + %d' % (g['address'], off))
        check(not bad, label, '; '.join(bad))

    # --- user blocks -----------------------------------------------------------
    ub = [s['user_block'] for s in rec['sections'] if s['type'] == 'user-block']
    procs = [line.split() for line in (read(os.path.join(run, 'out-first', 'users')) or '').splitlines()]
    seen = {x.split()[0]: x.split()[1:] for x in (read(os.path.join(run, 'out-first', 'users-seen')) or '').splitlines()}
    planned = [(u['user'], u['seed'], u['count'], u['size'], int(u['unaligned'])) for u in plan['users']]
    started = [(p[2], int(p[3]), int(p[4]), int(p[5]), int(p[6])) for p in procs]
    check(started == planned, 'the guest started the %d user processes of the plan' % len(planned),
          '%s, not %s' % (started, planned))
    used_blocks = set()
    for p in procs:
        n, pid, user, useed, count, size = p[0], int(p[1]), p[2], int(p[3]), int(p[4]), int(p[5])
        uid = 0 if user == 'root' else 65534
        mine = [i for i, b in enumerate(ub) if b['pid'] == pid]
        for b in range(count):
            want = gen.user_pattern(useed, b, size)
            hit = [i for i in mine if ub[i]['contents'] == want and i not in used_blocks]
            ok = len(hit) >= 1
            if ok:
                x = ub[hit[0]]
                used_blocks.add(hit[0])
                ok = (x['uid'] == uid and x['size'] == size and x['copied'] == size and x['flags'] == 0 and
                      x['comm'] == (seen.get(n) or ['?'])[0])
            else:
                best = min((diff(ub[i]['contents'], want) for i in mine), default=size)
                wrong += best
            check(ok, 'user block: process %s (pid %d, %s) block %d, %d bytes exact, uid %d' % (
                n, pid, user, b, size, uid), 'no such block' if not hit else str({k: v for k, v in ub[hit[0]].items()
                                                                                   if k != 'contents'}))
    check(len(used_blocks) == len(ub), 'no other user block in the record', '%d extra' % (len(ub) - len(used_blocks)))

    # --- removed ranges: gone from the vmcore, or kept where the scrub never came
    rl = exp['removed']
    if rl:
        area = read(os.path.join(run, 'bugcheck_soak_removed.bin'), 'rb') or b''
        for (q, r), (poff, pages) in sorted(rl.items()):
            got = area[poff * gen.PAGE:(poff + pages) * gen.PAGE]
            if (q, r) in exp['scrubbed']:
                want, how = bytes(pages * gen.PAGE), 'zero in the vmcore (scrubbed)'
            else:
                want, how = removed_bytes(seed, plan, q, r), 'intact (never named: the client failed first)'
            n = diff(got, want)
            wrong += n
            check(not n, 'removed range soak-%d/%d (%d pages) is %s' % (q, r, pages, how),
                  '%d bytes wrong, first at %d' % (n, first_diff(got, want)))

    # --- dump-I/O sinks ----------------------------------------------------------
    sinks = exp['sinks']          # run order
    io = rec['io_status']
    check(len(io) == len(sinks), '%d dump-I/O status entries' % len(sinks), str(io))
    used = rec['used']
    secs = rec['sections']
    writes = [(0, rec_sections_offset(data))]
    writes += [(s['offset'], 64 + ((s['length'] + 7) & ~7)) for s in secs if s['type'] == 'added-pages']
    writes += [(s['offset'], 64 + ((s['length'] + 7) & ~7)) for s in secs if s['type'] != 'added-pages']
    writes.append((used, 0))
    mirrors = read(os.path.join(run, 'bugcheck_soak_mirrors.bin'), 'rb') or b''
    order = [c['idx'] for c in plan['clients'] if c['kind'] == gen.DIO and c['mis'] != gen.GONE]
    rs = plan['record_size']
    for k, idx in enumerate(sinks):
        c = next(x for x in plan['clients'] if x['idx'] == idx)
        entry = next(e for e in exp['callbacks'] if e['component'] == 'soak-%d' % idx)
        st = io[k] if k < len(io) else {}
        faults = c['mis'] == gen.FAULT
        nw = c['at'] if faults else len(writes)
        nbytes = sum(n for _, n in writes[:nw])
        want = dict(callback=entry['index'], state='failed' if faults else 'finished', writes=nw, bytes=nbytes)
        check(st == want, 'sink soak-%d: status %s' % (idx, want), str(st))
        j = order.index(idx)
        m = mirrors[j * (64 + rs):(j + 1) * (64 + rs)]
        if len(m) < 64:
            check(False, 'sink soak-%d: its mirror is in the vmcore' % idx, '%d bytes' % len(m))
            continue
        magic, mlen, mwrites, complete = struct.unpack('<4Q', m[:32])
        body = m[64:]
        hw = (used if not faults else 0, nw, 0 if faults else 1)
        check(magic == 0x5252494d4b414f53 and (mlen, mwrites, complete) == hw,
              'sink soak-%d: mirror saw %d writes%s' % (idx, nw, '' if faults else ', COMPLETE at %d' % used),
              'magic %#x len %d writes %d complete %d' % (magic, mlen, mwrites, complete))
        n = 0
        for off, ln in writes[:nw]:
            n += diff(body[off:off + ln], data[off:off + ln])
        wrong += n
        check(not n, 'sink soak-%d: the %d writes it took are the record\'s bytes' % (idx, nw), '%d bytes wrong' % n)

    passed = failed == 0
    print('soak-result: seed %d passed %d lost %d wrong %d' % (seed, passed, lost, wrong))
    return 0 if passed else 1


def rec_sections_offset(data):
    # struct bugcheck_record_header: sections_offset follows dump_type, nr_callbacks,
    # callbacks_offset and callback_size (bcrecord.HDR's field 18).
    return bcrecord.HDR.unpack_from(data, 0)[18]


if __name__ == '__main__':
    sys.exit(main())
