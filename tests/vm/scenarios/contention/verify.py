#!/usr/bin/env python3
"""Host verification for contention: the record the vmcore holds after a panic under churn.

    verify.py RUN_DIR MESSAGE_REGEX HOLD

Whatever the churn was doing when the CPUs stopped, the record must be COMPLETE
with a good CRC, not corrupt, every stable client's bytes exact, every churn
registration caught in flight either absent or whole and exact, every device
described with a documented outcome, every user block exact.  Prints "ok - ..."
/ "FAIL ...: why" and what was caught in flight or skipped; exits 1 on a failure.
"""
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'soak'))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'tools'))
import bcrecord  # noqa: E402
import gen  # noqa: E402

SEED = 77               # scenario.conf's seed=
STABLE = 4
DEV = struct.Struct('<64s32s64siIIIIIII')
# (method, result) a device may end with at a bugcheck (docs/api.md, At a bugcheck).
METHODS = {(1, 0): 'powered by runtime PM', (2, 0): 'powered by its hook', (3, 0): 'already on',
           (5, -16): 'skipped: busy (mid-transition or a lock it needs held)',
           (5, -19): 'skipped: its driver is being unbound'}
failed = 0


def check(cond, what, why=''):
    global failed
    print(('ok - %s' if cond else 'FAIL %s: ' + why.replace('%', '%%')) % what)
    failed += not cond
    return cond


def main():
    run, msg, hold = sys.argv[1], sys.argv[2], sys.argv[3] == '1'
    try:
        rec = bcrecord.decode(open(os.path.join(run, 'bugcheck_record.bin'), 'rb').read())
    except (OSError, bcrecord.RecordError) as e:
        check(False, 'the record decodes: COMPLETE, header and payload CRCs good', str(e))
        return 1
    check(True, 'the record decodes: COMPLETE, header and payload CRCs good (%d bytes)' % rec['used'])
    check(re.fullmatch(msg, rec['message']) is not None, 'the record keeps the panic message', rec['message'])
    check(not rec['flags'] & 0x7a, 'not truncated, re-entered, corrupt, table-full or nested',
          'flags %#x' % rec['flags'])
    cbs = rec['callbacks']
    by = {}
    for c in cbs:
        by.setdefault(c['component'], []).append(c)
    secs = {}
    for s in rec['sections']:
        secs.setdefault(s['callback'], []).append(s)

    # Nothing is skipped: the bugcheck walks the registrations without the lock.
    notdone = [(c['component'], c['state']) for c in cbs
               if c['state'] != 'finished' and c['component'] != 'crashdump-devices']
    check(not notdone, 'every callback in the table FINISHED: none skipped%s' % (
        ' although another CPU held the registry lock' if hold else ''), str(notdone))

    for i in range(STABLE):
        name = 'contend-stable-%d' % i
        c = by.get(name, [])
        want = gen.soak_bytes(SEED, i, 0, 300 + 77 * i)
        s = secs.get(c[0]['index'], []) if len(c) == 1 else []
        check(len(c) == 1 and c[0]['flags'] == 0 and len(s) == 1 and s[0]['type'] == 'secondary'
              and s[0]['guid'] == gen.guid_of(SEED, i) and s[0]['flags'] == 0 and s[0]['payload'] == want,
              '%s: FINISHED, its tag and %d bytes exact' % (name, len(want)),
              '%s %s' % (c, [(x['type'], len(x['payload'])) for x in s]))

    caught = []
    for c in cbs:
        m = re.fullmatch(r'contend-(churn|legacy)-(\d+)', c['component'])
        if not m:
            continue
        k = int(m.group(2))
        if m.group(1) == 'churn':
            want, stype, guid = gen.soak_bytes(SEED, 100 + k, 0, 256), 'secondary', gen.guid_of(SEED, 100 + k)
        else:
            want, stype, guid = gen.soak_bytes(SEED, 200 + k, 0, 128), 'legacy', ''
        s = secs.get(c['index'], [])
        check(len(s) == 1 and s[0]['type'] == stype and s[0]['payload'] == want and s[0]['guid'] == guid
              and c['flags'] == 0,
              'caught in flight: %s, whole and exact' % c['component'],
              str([(x['type'], len(x['payload'])) for x in s]))
        caught.append(c['component'])
    print('in flight at the panic: %s' % (', '.join(caught) or 'no churn registration'))
    known = {'user-blocks', 'crashdump-devices'} | {'contend-stable-%d' % i for i in range(STABLE)}
    other = [c['component'] for c in cbs if c['component'] not in known and c['component'] not in caught]
    check(not other, 'no other callback in the table', str(other))

    devs = by.get('crashdump-devices', [])
    dsec = secs.get(devs[0]['index'], []) if devs else []
    outcomes = []
    for s in dsec:
        p = s['payload']
        if len(p) < DEV.size:
            check(False, 'device section of %d bytes' % len(p), 'shorter than %d' % DEV.size)
            continue
        f = DEV.unpack_from(p)
        name = f[0].split(b'\0')[0].decode()
        how = METHODS.get((f[4], f[3]))
        check(name.startswith('bugcheck-contend-pmdev') and how is not None,
              'device %s: %s' % (name, how or 'method %d result %d' % (f[4], f[3])),
              'method %d result %d' % (f[4], f[3]))
        outcomes.append('%s %s' % (name, how))
    print('devices at the panic: %s' % ('; '.join(outcomes) or 'none registered'))
    if devs:
        busy = any(DEV.unpack_from(s['payload'])[3] < 0 for s in dsec if len(s['payload']) >= DEV.size)
        check(devs[0]['state'] == ('incomplete' if busy else 'finished'),
              'crashdump-devices is %s' % ('INCOMPLETE: a device that asked for power was skipped' if busy
                                          else 'FINISHED'), devs[0]['state'])

    ub = [s['user_block'] for s in rec['sections'] if s['type'] == 'user-block']
    stable_pid = int(open(os.path.join(run, 'out-first', 'stable-pid')).read())
    mine = [b for b in ub if b['pid'] == stable_pid]
    want = {gen.user_pattern(9, b, 8192) for b in range(3)}
    check(len(mine) == 3 and {b['contents'] for b in mine} == want and all(b['copied'] == 8192 for b in mine),
          'the stable process\'s 3 user blocks are exact', '%d blocks' % len(mine))
    churned = [b for b in ub if b['pid'] != stable_pid]
    cwant = {gen.user_pattern(5, b, 4096) for b in range(2)}
    bad = [b['pid'] for b in churned if b['contents'] not in cwant or b['copied'] != 4096]
    check(not bad, 'user blocks caught in flight (%d) are whole and exact' % len(churned), str(bad))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
