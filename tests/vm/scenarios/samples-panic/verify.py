#!/usr/bin/env python3
"""Recompute every sample client's bytes (samples/sample_patterns.h) and compare
them with the record pulled out of the vmcore.  Prints ok/FAIL lines."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', 'tools'))
import bcrecord  # noqa: E402

GUID = '8c9a1c6e-3a5e-4d2b-9f4e-0b1c2d3e4f5%d'
failed = 0


def check(cond, what, why=''):
    global failed
    if cond:
        print('ok - %s' % what)
    else:
        failed += 1
        print('FAIL %s: %s' % (what, why))


def pat(n, f):
    return bytes(f(i) & 0xff for i in range(n))


def pages(npages, f, tag):
    out = bytearray(pat(npages * 4096, f))
    for p in range(npages):
        out[p * 4096:p * 4096 + 8] = b'%s%d\n' % (tag, p)
    return bytes(out)


EXPECT = {
    'sample-secondary': [('secondary', GUID % 0, b'SAMPLE-SECONDARY:' + pat(256, lambda i: i * 7 + 3))],
    'sample-ownbuf': [('secondary', GUID % 1, b'SAMPLE-OWNBUF:' + pat(200, lambda i: i * 13 + 1))],
    'sample-multipart': [('multipart', GUID % 2, b'PART%d:' % n + pat(1000, lambda i, n=n: n * 31 + i))
                         for n in range(3)],
    'sample-pages': [('added-pages', '', pages(4, lambda i: (i // 4096) * 17 + i * 3, b'RINGPG')),
                     ('added-pages', '', pages(2, lambda i: i * 11 + 5, b'PHYSPG'))],
    'sample-triage': [('triage', '', b'TRIAGE-A' + pat(48, lambda i: i * 9 + 2)),
                      ('triage', '', b'TRIAGE-B' + pat(92, lambda i: i * 5 + 7))],
    'sample-legacy': [('legacy', '', b'LEGACY-BUFFER:' + pat(128, lambda i: i * 5))],
}
REASON = {'sample-secondary': 'secondary', 'sample-ownbuf': 'secondary',
          'sample-multipart': 'multipart', 'sample-pages': 'add-pages',
          'sample-remove': 'remove-pages', 'sample-mirror': 'dump-io',
          'sample-triage': 'triage', 'sample-legacy': 'legacy'}


def samples_in(rec, label, simulated):
    by_name = {c['component']: c for c in rec['callbacks']}
    for name, reason in REASON.items():
        c = by_name.get(name)
        check(c is not None, '%s: %s is in the callback table' % (label, name), 'missing')
        if c is None:
            continue
        check(c['reason'] == reason and c['module'].startswith('bugcheck_sample_'),
              '%s: %s has reason %s and its owner module' % (label, name, reason),
              '%s / %s' % (c['reason'], c['module']))
        want = 'started' if reason == 'dump-io' else 'finished'
        check(c['state'] == want, '%s: %s state is %s' % (label, name, want), c['state'])
        secs = [s for s in rec['sections'] if s['callback'] == c['index']]
        for k, (stype, guid, payload) in enumerate(EXPECT.get(name, [])):
            s = secs[k] if k < len(secs) else None
            ok = (s is not None and s['type'] == stype and s['guid'] == guid
                  and s['payload'] == payload)
            why = 'no section' if s is None else '%s guid %r %d bytes, first difference at %s' % (
                s['type'], s['guid'], len(s['payload']),
                next((i for i, (a, b) in enumerate(zip(s['payload'], payload)) if a != b),
                     'length'))
            check(ok, '%s: %s section %d (%s, %d bytes) is exact' % (label, name, k, stype, len(payload)), why)
        if name == 'sample-remove':
            r = [s for s in secs if s['type'] == 'removed-pages']
            check(len(r) == 1 and r[0]['count'] == 1,
                  '%s: sample-remove recorded one removed page' % label, str(r))
            if r:
                nots = bool(r[0]['flags'] & 0x80)
                check(nots == simulated, '%s: removed range %s' % (
                    label, 'recorded, not scrubbed (simulate)' if simulated else 'scrubbed'),
                    'flags %#x' % r[0]['flags'])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--record', required=True)
    ap.add_argument('--mirror', required=True)
    ap.add_argument('--mirror-len', type=int, required=True)
    ap.add_argument('--secret', required=True)
    ap.add_argument('--simulated', required=True)
    ap.add_argument('--kernel', default='stock')
    a = ap.parse_args()

    data = open(a.record, 'rb').read()
    try:
        rec = bcrecord.decode(data)
    except bcrecord.RecordError as e:
        check(False, 'vmcore record decodes and its CRC checks', str(e))
        return 1
    check(True, 'vmcore record decodes and its CRC checks (%d bytes)' % rec['used'])
    check(rec['code'] == 1 and rec['message'] == 'sysrq triggered crash',
          'record says PANIC "sysrq triggered crash"', '%#x %r' % (rec['code'], rec['message']))
    check(rec['dump_type'] == 1, 'record says a capture kernel was loaded', str(rec['dump_type']))
    check(not rec['flags'] & 0x3a, 'record is not truncated, re-entered or corrupt',
          'flags %#x' % rec['flags'])
    samples_in(rec, 'vmcore', False)

    secret = open(a.secret, 'rb').read()
    check(len(secret) == 4096 and secret == bytes(4096), 'removed page is zero in the vmcore',
          '%d bytes, TOPSECRET present: %s' % (len(secret), b'TOPSECRET' in secret))
    check(b'TOPSECRET' not in data, 'the secret is not in the record either')

    mirror = open(a.mirror, 'rb').read()
    check(a.mirror_len == rec['used'], 'dump-I/O mirror saw COMPLETE at the stream length',
          '%d vs %d' % (a.mirror_len, rec['used']))
    check(mirror[:rec['used']] == data[:rec['used']], 'dump-I/O mirror is byte-identical to the record',
          'first difference at %s' % next((i for i in range(rec['used']) if mirror[i] != data[i]), '?'))
    io = rec['io_status']
    mirror_cb = [c['index'] for c in rec['callbacks'] if c['component'] == 'sample-mirror']
    check(len(io) == 1 and io[0]['callback'] in mirror_cb and io[0]['state'] == 'finished'
          and io[0]['bytes'] == rec['used'],
          'dump-I/O status: the mirror finished and got every byte', str(io))

    try:
        sim = bcrecord.decode(open(a.simulated, 'rb').read())
        check(sim['code'] == 4 and sim['flags'] & 0x4, 'simulated record (debugfs) decodes, is SIMULATED')
        samples_in(sim, 'simulate', True)
    except bcrecord.RecordError as e:
        check(False, 'simulated record (debugfs) decodes', str(e))
    print('verify: %d failed' % failed)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
