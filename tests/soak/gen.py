#!/usr/bin/env python3
"""Soak plan generator: from a seed alone, what one kdump cycle does and what its record must hold.

A plan says which clients bugcheck_test_soak.ko registers (reason, sizes, multipart
counts, added and removed ranges, misbehaviour), which user processes hold blocks
through /dev/bugcheck, and bugcheck.ko's limits.  expect(plan) walks the plan the way
module/callbacks/ does (run order, budgets, flags, states) and returns the record it
must produce: every callback table entry and every section, with the bytes of each
payload as (client, offset, length) of soak_byte(), which the module computes too.

    gen.py --seed S                 print the plan (JSON)
    gen.py --seed S --expect        print the expected record (JSON, payloads as ranges)
    gen.py --seed S --conf          print the scenario settings (bash) for tests/soak/scenario.sh
    gen.py --covering FROM          the first seed >= FROM whose plan shows every misbehaviour,
                                    every reason and user blocks
"""
import argparse
import json
import random
import sys
import uuid

PAGE = 4096
HDR_SIZE = 320          # struct bugcheck_record_header
CB_SIZE = 120           # struct bugcheck_record_callback
SEC_SIZE = 64           # struct bugcheck_record_section
FAULT_SIZE = 64         # struct bugcheck_record_fault
UBLK_SIZE = 48          # struct bugcheck_record_user_block
LIST_SLACK = 16
GUARD = 64
MAX_FAULTS = 16
USER_BLOCK_MAX = 65536  # bugcheck's block_size_max default

# Client kinds: the reason numbers of bugcheck.h, legacy as the record's 7.
SEC, DIO, ADD, MP, REM, TRI, LEG = 1, 2, 3, 4, 5, 6, 7
KIND = {SEC: 'secondary', DIO: 'dump-io', ADD: 'add-pages', MP: 'multipart',
        REM: 'remove-pages', TRI: 'triage', LEG: 'legacy'}
# Run order of the reasons (module/callbacks/collect.c phases).
RUN_ORDER = [REM, TRI, SEC, MP, ADD, LEG]

# Misbehaviours (the module's enum soak_mis).
NONE, FAULT, PANIC, OVERRUN, LIE_LONG, LIE_NULL, LIE_BADPTR, LIE_RANGE, LIE_ARRAY, LIE_TRUNC, GONE = range(11)
MIS = ['none', 'fault', 'panic', 'overrun', 'lie-long', 'lie-null', 'lie-badptr', 'lie-range',
       'lie-array', 'lie-trunc', 'gone']
# Which misbehaviours each kind can show.
CAN = {SEC: [FAULT, PANIC, OVERRUN, LIE_LONG, LIE_NULL, LIE_BADPTR, GONE],
       MP: [FAULT, PANIC, OVERRUN, LIE_LONG, LIE_NULL, GONE],
       TRI: [FAULT, PANIC, LIE_ARRAY, LIE_TRUNC, GONE],
       ADD: [FAULT, PANIC, LIE_RANGE, GONE],
       REM: [FAULT, PANIC, LIE_RANGE],
       LEG: [FAULT, PANIC, GONE],
       DIO: [FAULT]}
# The five the issue names, and the kinds of lie.
MISBEHAVIOURS = {'faulting': {FAULT}, 'overrunning': {OVERRUN},
                 'lying about lengths': {LIE_LONG, LIE_NULL, LIE_BADPTR, LIE_RANGE, LIE_ARRAY, LIE_TRUNC},
                 'unloading without deregistering': {GONE}, 'panicking in the callback': {PANIC}}

# Record flags (module/include/uapi/bugcheck_record.h).
R_COMPLETE, R_TRUNCATED, R_REENTERED = 0x1, 0x2, 0x8
CLAMPED, OVERRUN_F, NO_SPACE, READ_ERROR, BAD_RESULT, DUP_GUID = 0x1, 0x2, 0x4, 0x8, 0x10, 0x20
FAULTED = 0x100
F_VIRTUAL = 0x2000
ST_STARTED, ST_FINISHED, ST_INCOMPLETE, ST_FAILED = 'started', 'finished', 'incomplete', 'failed'
S_SECONDARY, S_MULTIPART, S_ADDED, S_REMOVED, S_TRIAGE, S_LEGACY, S_USER, S_FAULT = (
    'secondary', 'multipart', 'added-pages', 'removed-pages', 'triage', 'legacy', 'user-block', 'fault')
# The lie-long client claims this many bytes more than it was given.
LIE_EXTRA = 100
# A multipart client's part numbers, a range pointing at a removed range.
RM_REF = 1 << 30


def soak_byte(seed, client, off):
    """Byte @off of client @client's data: the formula bugcheck_test_soak.c computes."""
    k = seed * 131 + client * 37
    m = ((seed ^ (client * 7)) * 2 + 1)
    return (k + off * m + (off >> 8) * 29 + (off >> 16) * 97) & 0xff


_tables = {}


def soak_bytes(seed, client, off, n):
    """soak_byte() for [off, off + n), fast: the formula is periodic in 64 KiB plus a step."""
    t = _tables.get((seed, client))
    if t is None:
        t = _tables[(seed, client)] = bytes(soak_byte(seed, client, i) for i in range(65536))
    out = bytearray()
    while n > 0:
        o = off & 0xffff
        take = min(n, 65536 - o)
        step = ((off >> 16) * 97) & 0xff
        chunk = t[o:o + take]
        if step:
            chunk = chunk.translate(bytes((i + step) & 0xff for i in range(256)))
        out += chunk
        off += take
        n -= take
    return bytes(out)


def guid_of(seed, client):
    """The tag of a SECONDARY/MULTIPART client: 16 bytes of the formula past 2^40."""
    raw = bytes(soak_byte(seed, client, (1 << 40) + i) for i in range(16))
    return str(uuid.UUID(bytes_le=raw))


def user_pattern(seed, b, size):
    """bugcheck-blocks(1): byte i of block b is SEED*131 + b*37 + i*7 + (i>>8)."""
    return bytes((seed * 131 + b * 37 + i * 7 + (i >> 8)) & 0xff for i in range(size))


def panic_message(client):
    return 'soak-%d panics' % client


# ---------------------------------------------------------------------------
# The plan.

def make_plan(seed):
    r = random.Random(seed)
    plan = dict(seed=seed, record_size=r.choice([1 << 20, 1 << 20, 2 << 20]),
                callback_max=r.choice([65536, 131072, 262144]), clients=[], users=[])
    cap = plan['callback_max']
    # User processes first: they come last in the record, and must fit.
    for u in range(r.choice([0, 1, 1, 2, 3])):
        plan['users'].append(dict(user=r.choice(['root', 'nobody']), seed=r.randrange(1, 250),
                                  count=r.randint(1, 4),
                                  size=r.choice([1, 100, 4096, 5000, 40000, USER_BLOCK_MAX]),
                                  unaligned=r.random() < 0.3))
    share = r.choice([0.15, 0.3, 0.5])      # of clients that misbehave
    n = r.randint(4, 24)
    budget = int(plan['record_size'] * 0.8)
    idx = 0
    tries = 0
    while len(plan['clients']) < n and tries < 200:
        tries += 1
        kind = r.choice([SEC, SEC, MP, MP, TRI, ADD, ADD, REM, LEG, DIO])
        if kind == DIO and sum(c['kind'] == DIO for c in plan['clients']) >= 2:
            continue
        mis = r.choice(CAN[kind]) if r.random() < share else NONE
        c = dict(idx=idx, kind=kind, mis=mis, at=0, own=False, guid=idx, sizes=[])
        scale = r.choice([1, 1, 4, 16, 64])     # small, or up to (and past) the limits
        if kind == SEC:
            c['sizes'] = [r.choice([1, 7, 512, 4096, 10000, cap - 64, cap, cap + 999, 2 * cap]) // scale or 1]
            c['own'] = mis in (NONE, FAULT, PANIC) and r.random() < 0.4
        elif kind == MP:
            parts = r.randint(1, 8)
            c['sizes'] = [r.choice([0, 1, 100, 3000, 20000, cap // 3]) // (scale if scale < 16 else 1)
                          for _ in range(parts)]
            c['at'] = r.randrange(parts)
        elif kind == TRI:
            c['sizes'] = [r.choice([1, 8, 64, 500, 4096, cap // 2]) for _ in range(r.randint(1, 6))]
            if mis == LIE_TRUNC and len(c['sizes']) < 2:
                c['sizes'].append(16)
        elif kind == ADD:
            ranges = r.randint(1, 4)
            c['sizes'] = [r.choice([1, 2, 3, 8, cap // PAGE, cap // PAGE + 2]) for _ in range(ranges)]
            rems = [x for x in plan['clients'] if x['kind'] == REM]
            if rems and r.random() < 0.4:
                q = r.choice(rems)
                c['sizes'].insert(r.randrange(len(c['sizes']) + 1),
                                  RM_REF + q['idx'] * 16 + r.randrange(len(q['sizes'])))
            c['at'] = r.randrange(len(c['sizes']))
        elif kind == REM:
            ranges = r.randint(1, 3)
            c['sizes'] = [r.randint(1, 6) for _ in range(ranges)]
            c['at'] = r.randrange(ranges)
        elif kind == LEG:
            c['sizes'] = [r.choice([1, 64, 3000, 50000, cap, cap + 4096]) // scale or 1]
        elif kind == DIO:
            c['at'] = r.randrange(2)
        if kind in (SEC, MP) and r.random() < 0.15:
            others = [x for x in plan['clients'] if x['kind'] in (SEC, MP)]
            if others:
                c['guid'] = r.choice(others)['guid']
        if mis == GONE and any(x['kind'] == ADD and any(
                s >= RM_REF and (s - RM_REF) // 16 == idx for s in x['sizes']) for x in plan['clients']):
            mis = c['mis'] = NONE
        trial = dict(plan, clients=plan['clients'] + [c])
        if used_estimate(trial) > budget or faulters(trial) > 10:
            continue
        plan['clients'].append(c)
        idx += 1
    return plan


def faulters(plan):
    return sum(c['mis'] in (FAULT, PANIC) for c in plan['clients'] if c['kind'] != DIO)


def used_estimate(plan):
    e = expect(plan)
    ub = sum(SEC_SIZE + UBLK_SIZE + pad8(u['size']) for u in plan['users'] for _ in range(u['count']))
    return e['used_without_users'] + ub


def pad8(n):
    return (n + 7) & ~7


# ---------------------------------------------------------------------------
# What the record must hold.

def expect(plan):
    """The callback table and the sections the record must hold (user blocks apart)."""
    seed, cap = plan['seed'], plan['callback_max']
    main = [c for c in plan['clients'] if c['mis'] != GONE]
    callbacks, sections = [], []
    hdr = dict(flags=R_COMPLETE, dropped_sections=0, dropped_bytes=0, reentries=0)
    scrubbed = set()        # (rem client, range) scrubbed
    seen_guids = []         # (guid, callback index) of committed SECONDARY/MULTIPART sections
    faults = [0]
    rem_layout = removed_layout(plan)

    def entry(c):
        e = dict(component='soak-%d' % c['idx'], module='bugcheck_test_soak', reason=KIND[c['kind']],
                 state=None, flags=0, bytes=0, sections=0, calls=0, client=c['idx'])
        e['index'] = len(callbacks)
        callbacks.append(e)
        return e

    def section(e, stype, length, flags=0, part=0, data=None, guid='', count=None, address=None):
        s = dict(callback=e['index'], client=e.get('client'), type=stype, length=length, flags=flags,
                 part=part, guid=guid, count=length if count is None else count, data=data,
                 address=address)
        sections.append(s)
        if stype != S_FAULT:
            e['bytes'] += length
        e['sections'] += 1
        return s

    def fault(e, c):
        faults[0] += 1
        e['flags'] |= FAULTED
        section(e, S_FAULT, FAULT_SIZE, data=('fault', c['mis'], c['idx']))

    def cut(n, dropped=False):
        hdr['flags'] |= R_TRUNCATED
        hdr['dropped_bytes'] += n
        if dropped:
            hdr['dropped_sections'] += 1

    def dup(e, guid):
        return DUP_GUID if any(g == guid and i != e['index'] for g, i in seen_guids) else 0

    for kind in RUN_ORDER:
        for c in sorted((x for x in main if x['kind'] == kind), key=lambda x: -x['idx']):
            e = entry(c)
            if faults[0] >= MAX_FAULTS and kind != REM:
                e['state'] = 'skipped'
                continue
            run = {SEC: run_sec, MP: run_mp, TRI: run_tri, ADD: run_add, REM: run_rem, LEG: run_leg}[kind]
            run(c, e, seed, cap, section, fault, cut, dup, seen_guids, scrubbed, rem_layout)
            if e['flags'] & (OVERRUN_F | BAD_RESULT | FAULTED):
                e['state'] = ST_FAILED
            elif e['flags'] & (CLAMPED | NO_SPACE | READ_ERROR):
                e['state'] = ST_INCOMPLETE
            else:
                e['state'] = ST_FINISHED
    hdr['reentries'] = faults[0]
    if faults[0]:
        hdr['flags'] |= R_REENTERED
    blocks = [(u, b) for u in plan['users'] for b in range(u['count'])]
    if blocks:
        callbacks.append(dict(component='user-blocks', module='bugcheck', reason='user-blocks',
                              state=ST_FINISHED, flags=0, bytes=sum(UBLK_SIZE + u['size'] for u, _ in blocks),
                              sections=len(blocks), calls=len(blocks), client=None, index=len(callbacks)))
    for c in sorted((x for x in main if x['kind'] == DIO), key=lambda x: -x['idx']):
        callbacks.append(dict(component='soak-%d' % c['idx'], module='bugcheck_test_soak', reason='dump-io',
                              state=ST_STARTED, flags=0, bytes=0, sections=0, calls=0, client=c['idx'],
                              index=len(callbacks)))
    nclients = len(main)
    used = HDR_SIZE + (nclients + LIST_SLACK) * CB_SIZE + sum(SEC_SIZE + pad8(s['length']) for s in sections)
    sinks = sorted((x for x in main if x['kind'] == DIO), key=lambda x: -x['idx'])
    return dict(header=hdr, callbacks=callbacks, sections=sections, sinks=[c['idx'] for c in sinks],
                table_slots=nclients + LIST_SLACK, used_without_users=used, scrubbed=sorted(scrubbed),
                removed=rem_layout)


def removed_layout(plan):
    """Page offsets of every removed range in the module's one removed area, in plan order."""
    out, off = {}, 0
    for c in plan['clients']:
        if c['kind'] == REM:
            for r, p in enumerate(c['sizes']):
                out[(c['idx'], r)] = (off, p)
                off += p
    return out


def run_sec(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    want = c['sizes'][0]
    flags = 0
    e['calls'] += 1                                # size phase
    avail = cap                                    # nothing added yet; room is plenty
    if want > avail:
        flags |= CLAMPED
        cut(want - avail)
        want = avail
    e['calls'] += 1                                # data phase
    if c['mis'] in (FAULT, PANIC):
        e['flags'] |= flags
        fault(e, c)
        return
    data = ('soak', c['idx'], 0, want)
    length = want
    if c['mis'] == OVERRUN:
        flags |= OVERRUN_F
    elif c['mis'] == LIE_LONG:
        flags |= CLAMPED
    elif c['mis'] == LIE_NULL:
        flags |= BAD_RESULT
        length, data = 0, None
    elif c['mis'] == LIE_BADPTR:
        flags |= READ_ERROR
        length, data = 0, None
    g = guid_of(seed, c['guid'])
    flags |= dup(e, g)
    e['flags'] |= flags
    section(e, S_SECONDARY, length, flags, data=data, guid=g)
    seen.append((g, e['index']))


def run_mp(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    off = 0
    g = guid_of(seed, c['guid'])
    parts = c['sizes']
    for part, s in enumerate(parts):
        avail = cap - e['bytes']
        if avail <= 0:
            cut(0, dropped=True)
            e['flags'] |= NO_SPACE
            return
        e['calls'] += 1
        mis = c['mis'] if part == c['at'] else NONE
        if mis in (FAULT, PANIC):
            fault(e, c)
            return
        flags = 0
        claim = min(s, avail)
        if mis == OVERRUN:
            claim = avail
            flags |= OVERRUN_F
        elif mis == LIE_LONG:
            claim = avail + LIE_EXTRA
        elif mis == LIE_NULL:
            claim = s
        length = claim
        if claim > avail:
            flags |= CLAMPED
            length = avail
        if mis == LIE_NULL and length:
            flags |= BAD_RESULT
            length = 0
        if part == 0:
            flags |= dup(e, g)
        if length or flags:
            section(e, S_MULTIPART, length, flags, part=part, guid=g,
                    data=('soak', c['idx'], off, length) if length else None)
            seen.append((g, e['index']))
        e['flags'] |= flags
        off += claim


def run_tri(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    e['calls'] += 1
    if c['mis'] in (FAULT, PANIC):
        fault(e, c)
        return
    if c['mis'] == LIE_ARRAY:
        e['flags'] |= BAD_RESULT
        return
    blocks = c['sizes']
    if c['mis'] == LIE_TRUNC:
        blocks = blocks[:-1]
        e['flags'] |= CLAMPED
    left = cap
    off = 0
    for b, size in enumerate(blocks):
        n = size
        if n > left:
            e['flags'] |= CLAMPED
            n = left
        if not n:
            break
        section(e, S_TRIAGE, n, part=b, data=('soak', c['idx'], off, n), address=('tri', off))
        left -= n
        off += size


def run_add(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    pageoff = 0
    for call, p in enumerate(c['sizes']):
        e['calls'] += 1
        mis = c['mis'] if call == c['at'] else NONE
        if mis in (FAULT, PANIC):
            fault(e, c)
            return
        ref = None
        if p >= RM_REF:
            q, rr = divmod(p - RM_REF, 16)
            ref = (q, rr)
            poff, p = rl[ref]
        if mis == LIE_RANGE:
            e['flags'] |= BAD_RESULT
            if ref is None:
                pageoff += p
            continue
        flags = F_VIRTUAL
        fit = (cap - e['bytes']) // PAGE
        count = p
        if count > fit:
            flags |= CLAMPED
            cut((count - fit) * PAGE)
            count = fit
        if not count:
            cut(0, dropped=True)
            e['flags'] |= NO_SPACE | (flags & ~F_VIRTUAL)
            if ref is None:
                pageoff += p
            continue
        if ref is None:
            data = ('soak', c['idx'], pageoff * PAGE, count * PAGE)
            addr = ('add', c['idx'], pageoff)
            pageoff += p
        else:
            data = ('removed', ref, count * PAGE)
            addr = ('rem', poff)
        section(e, S_ADDED, count * PAGE, flags, part=call, data=data, count=count, address=addr)
        e['flags'] |= flags & ~F_VIRTUAL


def run_rem(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    for call, p in enumerate(c['sizes']):
        e['calls'] += 1
        mis = c['mis'] if call == c['at'] else NONE
        if mis in (FAULT, PANIC):
            fault(e, c)
            return
        if mis == LIE_RANGE:
            e['flags'] |= BAD_RESULT
            continue
        scrubbed.add((c['idx'], call))
        section(e, S_REMOVED, 0, F_VIRTUAL, part=call, count=p, address=('rem', rl[(c['idx'], call)][0]))


def run_leg(c, e, seed, cap, section, fault, cut, dup, seen, scrubbed, rl):
    e['calls'] += 1
    if c['mis'] in (FAULT, PANIC):
        fault(e, c)
        return
    n = c['sizes'][0]
    flags = 0
    if n > cap:
        flags |= CLAMPED
        cut(n - cap)
        n = cap
    e['flags'] |= flags
    section(e, S_LEGACY, n, flags, data=('soak', c['idx'], 0, n), address=('leg',))


# ---------------------------------------------------------------------------
# What the guest and the module get.

def module_param(clients):
    """The soak module's plan= string: idx:kind:mis:at:own:guid:n:v1:...:vn;..."""
    out = []
    for c in clients:
        f = [c['idx'], c['kind'], c['mis'], c['at'], int(c['own']), c['guid'], len(c['sizes'])] + c['sizes']
        out.append(':'.join(str(x) for x in f))
    return ';'.join(out)


def conf(plan):
    """bash settings for tests/soak/scenario.sh."""
    main = [c for c in plan['clients'] if c['mis'] != GONE]
    gone = [c for c in plan['clients'] if c['mis'] == GONE]
    rem_pages = sum(p for c in plan['clients'] if c['kind'] == REM for p in c['sizes'])
    common = 'seed=%d mirror_size=%d' % (plan['seed'], plan['record_size'])
    lines = ['SOAK_BUGCHECK=%s' % q('bugcheck record_size=%d callback_max=%d' % (
        plan['record_size'], plan['callback_max'])),
        'SOAK_MAIN=%s' % q('bugcheck_test_soak %s plan=%s' % (common, module_param(main) or '-'))]
    lines.append('SOAK_GONE=%s' % (q('bugcheck_test_soak_gone %s plan=%s' % (common, module_param(gone)))
                                   if gone else "''"))
    users = ','.join('%s:%d:%d:%d:%d' % (u['user'], u['seed'], u['count'], u['size'], u['unaligned'])
                     for u in plan['users'])
    lines.append('SOAK_USERS=%s' % q(users))
    lines.append('SOAK_REMOVED_BYTES=%d' % (rem_pages * PAGE))
    lines.append('SOAK_SINKS=%d' % sum(c['kind'] == DIO for c in main))
    return '\n'.join(lines)


def q(s):
    return "'" + s.replace("'", "'\\''") + "'"


def coverage(plan):
    """What of FEATURES this plan shows: the issue's misbehaviours, every reason, user blocks."""
    have = {c['mis'] for c in plan['clients']}
    out = {name for name, ms in MISBEHAVIOURS.items() if have & ms}
    out |= {KIND[c['kind']] for c in plan['clients'] if c['mis'] != GONE}
    if plan['users']:
        out.add('user blocks')
    return sorted(out)


FEATURES = sorted(set(MISBEHAVIOURS) | set(KIND.values()) | {'user blocks'})


def describe(plan):
    kinds = {}
    for c in plan['clients']:
        kinds[KIND[c['kind']]] = kinds.get(KIND[c['kind']], 0) + 1
    bad = [('soak-%d' % c['idx'], MIS[c['mis']]) for c in plan['clients'] if c['mis']]
    return ('seed %d: %d clients (%s), %d misbehaving (%s), %d user processes, record_size %d, '
            'callback_max %d' % (plan['seed'], len(plan['clients']),
                                 ' '.join('%s=%d' % kv for kv in sorted(kinds.items())), len(bad),
                                 ' '.join('%s:%s' % b for b in bad), len(plan['users']),
                                 plan['record_size'], plan['callback_max']))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int)
    ap.add_argument('--expect', action='store_true')
    ap.add_argument('--conf', action='store_true')
    ap.add_argument('--describe', action='store_true')
    ap.add_argument('--covering', type=int, metavar='FROM')
    a = ap.parse_args()
    if a.covering is not None:
        s = a.covering
        while len(coverage(make_plan(s))) < len(FEATURES):
            s += 1
        print(s)
        return 0
    if a.seed is None:
        ap.error('--seed is required')
    plan = make_plan(a.seed)
    if a.conf:
        print(conf(plan))
    elif a.describe:
        print(describe(plan))
    elif a.expect:
        e = expect(plan)
        e['removed'] = {'%d/%d' % k: v for k, v in e['removed'].items()}
        print(json.dumps(e, indent=1, default=str))
    else:
        print(json.dumps(plan, indent=1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
