#!/usr/bin/env python3
"""Test oracle: decode and validate a bugcheck record file (docs/record-format.md).

Used by the e2e checks to prove, from bytes pulled out of a vmcore, what the
record holds.  It validates everything it walks and raises RecordError with a
reason instead of reading out of bounds.  USER_BLOCK and FAULT payloads are
decoded into sec['user_block'] and sec['fault'] (ip, trap, trap_name,
error_code, what), checked as libbcr checks them.

    bcrecord.py FILE            print a summary
    bcrecord.py FILE --json     print the decoded record as JSON
"""
import json
import os
import re
import struct
import sys
import uuid
import zlib

HDR = struct.Struct('<8s8I4QQ12I128s64s')
CB = struct.Struct('<32s56s6IQ')
SEC = struct.Struct('<8I16sQQ')
IOS = struct.Struct('<4I')
# struct bugcheck_record_user_block: address, size, pid, uid, flags, copied, comm
UBLK = struct.Struct('<QQiIII16s')
# struct bugcheck_record_fault: ip, trap, error code, what
FAULT = struct.Struct('<QII48s')

UAPI_HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'module',
                           'include', 'uapi', 'bugcheck_record.h')


def uapi_constants(path=UAPI_HEADER):
    """Every `#define BUGCHECK_... <number>` of the record's uapi header: the one definition."""
    consts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'#define\s+(BUGCHECK_\w+)\s+(0x[0-9a-fA-F]+|\d+)\b', line)
            if m:
                consts[m.group(1)] = int(m.group(2), 0)
    return consts


U = uapi_constants()


def _names(prefix, rename=None):
    """{value: name} for the constants starting with @prefix, named as the C readers do."""
    out = {}
    for k, v in U.items():
        if k.startswith(prefix) and '_F_' not in k[len(prefix) - 1:]:
            name = k[len(prefix):].lower().replace('_', '-')
            out[v] = (rename or {}).get(name, name)
    return out


F_COMPLETE = U['BUGCHECK_RECORD_F_COMPLETE']
SEC_USER_BLOCK = U['BUGCHECK_SECTION_USER_BLOCK']
SEC_FAULT = U['BUGCHECK_SECTION_FAULT']
TRAP_PANIC = U['BUGCHECK_FAULT_TRAP_PANIC']
UB_F_UNMAPPED = U['BUGCHECK_USER_BLOCK_F_UNMAPPED']
MAGIC = b'BUGCHECK'
VERSION = U['BUGCHECK_RECORD_VERSION']
# guid_t (GUID_INIT) keeps its first three fields little-endian: uuid's bytes_le.
SECTION_TYPES = _names('BUGCHECK_SECTION_')
REASONS = _names('BUGCHECK_RECORD_REASON_')
_states = _names('BUGCHECK_RECORD_STATE_')
STATES = [_states[i] for i in range(len(_states))]


# x86 trap numbers (arch/x86/include/asm/trapnr.h), named as libbcr names them.
TRAPS = {0: 'divide error', 1: 'debug', 2: 'nmi', 3: 'int3', 4: 'overflow', 5: 'bounds',
         6: 'invalid opcode', 7: 'device not available', 8: 'double fault',
         9: 'coprocessor segment overrun', 10: 'invalid TSS', 11: 'segment not present',
         12: 'stack segment', 13: 'general protection', 14: 'page fault', 15: 'spurious',
         16: 'coprocessor error', 17: 'alignment check', 18: 'machine check',
         19: 'SIMD exception', 20: 'virtualization exception', 21: 'control protection',
         29: 'VMM communication', 32: 'IRET exception', TRAP_PANIC: 'panic'}


class RecordError(Exception):
    pass


def cstr(b):
    return b.split(b'\0', 1)[0].decode('utf-8', 'replace')


def crc_of(data, used):
    off = 28  # offsetof(struct bugcheck_record_header, crc32)
    return zlib.crc32(data[:off] + b'\0\0\0\0' + data[off + 4:used]) & 0xffffffff


def decode_user_block(n, address, count, payload):
    """A USER_BLOCK payload: the 48-byte block header, then `copied` bytes of contents."""
    if len(payload) < UBLK.size:
        raise RecordError('section %d: user block payload of %d bytes, shorter than %d'
                          % (n, len(payload), UBLK.size))
    (addr, size, pid, uid, flags, copied, comm) = UBLK.unpack_from(payload, 0)
    if copied != len(payload) - UBLK.size:
        raise RecordError('section %d: user block copied %d, but %d bytes follow its header'
                          % (n, copied, len(payload) - UBLK.size))
    if copied > size:
        raise RecordError('section %d: user block copied %d, more than its size %d'
                          % (n, copied, size))
    if (address, count) != (addr, size):
        raise RecordError('section %d: section address %#x count %d, block %#x size %d'
                          % (n, address, count, addr, size))
    if b'\0' not in comm:
        raise RecordError('section %d: user block comm %r not NUL-terminated' % (n, comm))
    # Unknown flag bits are kept: a newer writer may add some.
    return dict(address=addr, size=size, pid=pid, uid=uid, flags=flags, copied=copied,
                comm=cstr(comm), unmapped=bool(flags & UB_F_UNMAPPED),
                contents=payload[UBLK.size:])


def decode_fault(n, address, payload):
    """A FAULT payload: how a callback (or bugcheck's own code) faulted or panicked."""
    if len(payload) < FAULT.size:
        raise RecordError('section %d: fault payload of %d bytes, shorter than %d'
                          % (n, len(payload), FAULT.size))
    (ip, trap, error_code, what) = FAULT.unpack_from(payload, 0)
    if b'\0' not in what:
        raise RecordError('section %d: fault what %r not NUL-terminated' % (n, what))
    if address != ip:
        raise RecordError('section %d: section address %#x, fault ip %#x' % (n, address, ip))
    return dict(ip=ip, trap=trap, trap_name=TRAPS.get(trap, 'unknown'),
                panic=trap == TRAP_PANIC, error_code=error_code, what=cstr(what),
                what_bytes=what.split(b'\0', 1)[0])


def quoted(b):
    """@b in double quotes, C escapes for anything unprintable, as libbcr prints strings."""
    out = ''
    for c in b:
        if c in b'"\\':
            out += '\\' + chr(c)
        elif 0x20 <= c < 0x7f:
            out += chr(c)
        else:
            out += '\\x%02x' % c
    return '"' + out + '"'


def fault_text(t):
    """How a call was abandoned, in the words of bugcheck-record show's fault lines."""
    if t['panic']:
        return 'panic ' + quoted(t['what_bytes'])
    return '%s (trap %d, error %#x) at %016x %s' % (t['trap_name'], t['trap'], t['error_code'],
                                                   t['ip'], quoted(t['what_bytes']))


def decode(data):
    if len(data) < HDR.size:
        raise RecordError('shorter than a header (%d bytes)' % len(data))
    f = HDR.unpack_from(data, 0)
    (magic, version, header_size, area_size, used, flags, crc, code, cpu) = f[:9]
    params = list(f[9:13])
    time_ns = f[13]
    (dump_type, nr_cb, cb_off, cb_size, sec_off, nr_sec, dropped_sec, dropped_bytes,
     io_off, nr_io, reentries, _res) = f[14:26]
    message, release = cstr(f[26]), cstr(f[27])
    if magic != MAGIC:
        raise RecordError('bad magic %r' % magic)
    if version != VERSION:
        raise RecordError('unknown version %d' % version)
    if header_size < HDR.size or cb_size < CB.size:
        raise RecordError('header_size/callback_size too small')
    if used > len(data) or used < header_size:
        raise RecordError('used=%d outside the %d bytes read' % (used, len(data)))
    if not flags & F_COMPLETE:
        raise RecordError('record not COMPLETE (bugcheck died while building it)')
    if crc_of(data, used) != crc:
        raise RecordError('CRC mismatch: stored %08x, computed %08x' % (crc, crc_of(data, used)))
    if cb_off + nr_cb * cb_size > sec_off or sec_off > used:
        raise RecordError('callback table does not fit before the sections')
    rec = dict(version=version, area_size=area_size, used=used, flags=flags, crc32=crc,
               code=code, cpu=cpu, params=params, time_ns=time_ns, dump_type=dump_type,
               dropped_sections=dropped_sec, dropped_bytes=dropped_bytes,
               reentries=reentries, message=message, release=release,
               callbacks=[], sections=[], io_status=[])
    for i in range(nr_cb):
        c = CB.unpack_from(data, cb_off + i * cb_size)
        rec['callbacks'].append(dict(index=i, component=cstr(c[0]), module=cstr(c[1]),
                                     reason=REASONS.get(c[2], str(c[2])),
                                     state=STATES[c[3]] if c[3] < len(STATES) else str(c[3]),
                                     flags=c[4], bytes=c[5], sections=c[6], calls=c[7],
                                     callback=c[8]))
    off = sec_off
    for n in range(nr_sec):
        if off + SEC.size > used:
            raise RecordError('section %d header beyond used' % n)
        s = SEC.unpack_from(data, off)
        stype, sflags, size, length, cbi, part, pcrc = s[:7]
        if size < SEC.size + length or size % 8 or off + size > used:
            raise RecordError('section %d: bad size %d (length %d)' % (n, size, length))
        payload = data[off + SEC.size:off + SEC.size + length]
        if zlib.crc32(payload) & 0xffffffff != pcrc:
            raise RecordError('section %d: payload CRC mismatch' % n)
        sec = dict(offset=off, type=SECTION_TYPES.get(stype, str(stype)),
                   flags=sflags, length=length, callback=cbi, part=part,
                   guid=str(uuid.UUID(bytes_le=bytes(s[8]))) if any(s[8]) else '',
                   address=s[9], count=s[10], payload=payload)
        if stype == SEC_USER_BLOCK:
            sec['user_block'] = decode_user_block(n, s[9], s[10], payload)
        elif stype == SEC_FAULT:
            sec['fault'] = decode_fault(n, s[9], payload)
        rec['sections'].append(sec)
        off += size
    if off != used:
        raise RecordError('sections end at %d, used is %d' % (off, used))
    for k in range(nr_io):
        o = io_off + k * IOS.size
        if o + IOS.size > len(data):
            raise RecordError('io status %d beyond the bytes read' % k)
        c = IOS.unpack_from(data, o)
        rec['io_status'].append(dict(callback=c[0], state=STATES[c[1]] if c[1] < len(STATES) else str(c[1]),
                                     writes=c[2], bytes=c[3]))
    return rec


def main():
    data = open(sys.argv[1], 'rb').read()
    try:
        rec = decode(data)
    except RecordError as e:
        print('damaged record: %s' % e, file=sys.stderr)
        return 1
    if '--json' in sys.argv:
        for s in rec['sections']:
            s['payload'] = s['payload'].hex()
            if 'user_block' in s:
                s['user_block']['contents'] = s['user_block']['contents'].hex()
            if 'fault' in s:
                s['fault']['what_bytes'] = s['fault']['what_bytes'].hex()
        print(json.dumps(rec, indent=1))
        return 0
    print('code %#x params %s cpu %d flags %#x used %d/%d message %r' % (
        rec['code'], ['%#x' % p for p in rec['params']], rec['cpu'], rec['flags'],
        rec['used'], rec['area_size'], rec['message']))
    for c in rec['callbacks']:
        print('  cb %2d %-13s %-10s %6d bytes %2d calls flags %#06x %s/%s' % (
            c['index'], c['reason'], c['state'], c['bytes'], c['calls'], c['flags'],
            c['module'], c['component']))
    for s in rec['sections']:
        print('  sec %-13s cb %2d part %d len %6d flags %#06x guid %s addr %#x' % (
            s['type'], s['callback'], s['part'], s['length'], s['flags'],
            s['guid'] or '-', s['address']))
        u = s.get('user_block')
        if u:
            print('      block pid %d uid %d comm %r size %d copied %d flags %#x' % (
                u['pid'], u['uid'], u['comm'], u['size'], u['copied'], u['flags']))
        t = s.get('fault')
        if t:
            print('      fault: ' + fault_text(t))
    for i in rec['io_status']:
        print('  io cb %d %s writes %d bytes %d' % (i['callback'], i['state'], i['writes'], i['bytes']))
    return 0


if __name__ == '__main__':
    sys.exit(main())
