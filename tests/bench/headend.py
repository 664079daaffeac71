#!/usr/bin/env python3
"""Writes a synthetic debug log of a busy ASA head end.

Workloads:
  anyconnect  remote-access clients: IKEv2 with EAP and aggregate-auth XML
              (samples/asa/anyconnect-eap-*.log as the shapes), most of them
              connecting, the rest refused at IKE_SA_INIT, failing EAP,
              aborted ("Negotiating SA request deleted") or never coming back
              after IKE_SA_INIT;
  s2s         site-to-site tunnels (samples/asa/s2s-*.log): rekeys, DPD,
              TS_UNACCEPTABLE refusals and INVALID_KE_PAYLOAD retries.

Each session gets its own SPIs, SA number, address and ports, and content of
its own: random key-exchange, nonce and NAT-detection bytes, its own user,
password, session token, session id and hashes in the XML. Sessions are
interleaved a round trip at a time with IN_FLIGHT of them open at once, as
a head end prints them (each open session once per round, the order of a
round shuffled); with --stamps each line carries a syslog stamp.

The counts of each outcome written go to OUT.expect ("sessions N", then
"OUTCOME N" per outcome as `ikescope sessions` names it), so a benchmark can
check the analysis is exact.

usage: headend.py [--workload anyconnect|s2s] [--sessions N | --mb M]
                  [--in-flight K] [--stamps] [--seed S] OUT
"""
import argparse
import os
import random
import re

from gen import FAIL_TAIL

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ASA = os.path.join(TOP, 'samples', 'asa')

# an SM Trace line of the templates' SA in its EXIT state (MID, event follow)
EXIT = ('IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F '
        '(R) MsgID = %s CurState: EXIT Event: ')


def abort_tail(mid):
    """The end of an aborted negotiation, in place of EV_FREE_SA and what follows it."""
    return (EXIT % mid + 'EV_CHK_PENDING_ABORT\n'
            'IKEv2-PLAT-5: Negotiating SA request deleted\n'
            'IKEv2-PLAT-5: Decrement count for incoming negotiating\n' +
            EXIT % mid + 'EV_UPDATE_CAC_STATS\n'
            'IKEv2-PROTO-2: (6): Abort exchange\n'
            'IKEv2-PROTO-2: (6): Deleting SA\n')


# a session refused at IKE_SA_INIT (gen.py's refusal, of another expected
# policy, aborted): the first round trip of a client, then this
NO_PROPOSAL_TAIL = FAIL_TAIL.replace(
    'AES-CBC-192 SHA1 SHA96 DH_GROUP_768_MODP/Group 1',
    'AES-CBC-256 SHA256 SHA256 DH_GROUP_384_ECP/Group 20').replace(
    EXIT % '00000000' + 'EV_FREE_SA\n', EXIT % '00000000' + 'EV_ABORT\n' + abort_tail('00000000'))
ABORT_TAIL = abort_tail('00000003')

HEX_LINE = re.compile(r'^( +)((?:[0-9a-f]{2} )*[0-9a-f]{2})$')
PAYLOAD_HEAD = re.compile(r'^(\w+)(?:\((\w+)\))?  Next payload')
# the payloads whose dumped bytes are random on the wire
RANDOM_PAYLOADS = {'KE', 'N', 'NAT_DETECTION_SOURCE_IP', 'NAT_DETECTION_DESTINATION_IP'}
SA_NUMBER = re.compile(r'\((\d+)\)')


def read(name):
    with open(os.path.join(ASA, name)) as f:
        return f.read()


def round_trips(text, mark):
    """The text cut before each line containing mark: one round trip per piece."""
    pieces, cur = [], []
    for line in text.splitlines(keepends=True):
        if mark in line and cur:
            pieces.append(''.join(cur))
            cur = []
        cur.append(line)
    pieces.append(''.join(cur))
    return pieces


class Shape:
    """One kind of session: its text cut into round trips, and its outcome."""

    def __init__(self, name, text, outcome, weight, mark='RECV PKT'):
        self.name, self.outcome, self.weight = name, outcome, weight
        self.pieces = round_trips(text, mark)
        # the identifiers to replace: IKE SPIs (16 hex digits), child SPIs, the peer
        self.spis = sorted(set(s.upper() for s in re.findall(
            r'(?<![0-9A-Fa-f])([0-9A-Fa-f]{16})(?![0-9A-Fa-f])', text)) - {'0' * 16})
        self.child = sorted(set(s.upper() for s in re.findall(
            r'SPI[ :=]*(?:0x)?([0-9A-Fa-f]{8})\b', text)))


def anyconnect_shapes():
    ok = read('anyconnect-eap-success.log')
    bad = read('anyconnect-eap-failure.log')
    first = round_trips(ok, 'RECV PKT')[0]
    cut = bad.index('IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B '
                    'R_SPI=FC696330E6B94D7F (R) MsgID = 00000003 CurState: EXIT Event: EV_FREE_SA')
    # the client goes away after IKE_SA_INIT: the ASA's auth timer ends it later
    gone = first + ('IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F'
                    ' (R) MsgID = 00000000 CurState: R_WAIT_AUTH Event: EV_TIMEOUT\n'
                    'IKEv2-PROTO-1: (6): Failed to receive the AUTH msg before the timer expired\n')
    return [
        Shape('connected', ok, 'up', 86),
        Shape('eap-failure', bad, 'failed', 5),
        Shape('aborted', bad[:cut] + ABORT_TAIL, 'failed', 4),
        Shape('no-proposal', first + NO_PROPOSAL_TAIL, 'failed', 4),
        Shape('no-auth', gone, 'failed', 1),
    ]


def s2s_shapes():
    return [
        Shape('rekey-dpd', read('s2s-rekey-dpd-initiator.log'), 'up', 80, 'SENT PKT'),
        Shape('ts-unacceptable', read('s2s-ts-unacceptable-initiator.log'), 'failed', 12,
              'SENT PKT'),
        Shape('invalid-ke', read('s2s-invalid-ke-initiator.log'), 'failed', 8, 'SENT PKT'),
    ]


class Session:
    def __init__(self, shape, i, rnd):
        self.shape, self.n = shape, 0
        self.map = {}
        for s in shape.spis:
            self.map[s] = '%016X' % rnd.getrandbits(64)
        for s in shape.child:
            self.map[s] = '%08X' % rnd.getrandbits(32)
        self.sa = str(i % 60000 + 1)
        self.peer = '10.%d.%d.%d' % (64 + i // 65025 % 64, i // 255 % 255, i % 255 + 1)
        self.port = rnd.randrange(1025, 65000)
        self.user = 'user%05d' % rnd.randrange(100000)
        self.password = ''.join(rnd.choice('abcdefghjkmnpqrstuvwxyz23456789')
                                for _ in range(rnd.randrange(8, 16)))
        self.token = ''.join(rnd.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
                                        '0123456789-') for _ in range(44))
        self.session_id = str(rnd.randrange(1, 1 << 20))
        self.hashes = ['%040X' % rnd.getrandbits(160) for _ in range(2)]
        self.config_hash = str(rnd.randrange(10 ** 12, 10 ** 13))
        self.host = 'pc-%06x' % rnd.getrandbits(24)
        self.rnd = rnd

    def text(self):
        piece = self.shape.pieces[self.n]
        self.n += 1
        return self.rewrite(piece)

    def done(self):
        return self.n == len(self.shape.pieces)

    def ids(self, m):
        s = m.group(0)
        new = self.map.get(s.upper())
        if new is None:
            return s
        return new.lower() if s.islower() else new

    def rewrite(self, piece):
        out, randomize = [], False
        for line in piece.splitlines(keepends=True):
            head = PAYLOAD_HEAD.match(line)
            if head:
                randomize = (head.group(2) or head.group(1)) in RANDOM_PAYLOADS
            elif randomize and HEX_LINE.match(line.rstrip('\n')):
                m = HEX_LINE.match(line.rstrip('\n'))
                n = len(m.group(2).split())
                line = m.group(1) + ' '.join('%02x' % self.rnd.getrandbits(8)
                                             for _ in range(n)) + '\n'
            elif not line.strip():
                pass
            elif not line.startswith(' '):
                randomize = False
            out.append(line)
        piece = ''.join(out)
        piece = re.sub(r'(?<![0-9A-Fa-f])[0-9A-Fa-f]{16}(?![0-9A-Fa-f])', self.ids, piece)
        piece = re.sub(r'(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}(?![0-9A-Fa-f])', self.ids, piece)
        piece = SA_NUMBER.sub('(' + self.sa + ')', piece)
        for old in ('192.168.1.1', '203.0.113.20', '198.51.100.77', '203.0.113.5'):
            piece = piece.replace(old, self.peer)
        piece = piece.replace(':25170', ':%d' % self.port).replace(':25171',
                                                                   ':%d' % (self.port + 1))
        piece = piece.replace('port 25171', 'port %d' % (self.port + 1))
        piece = re.sub(r'\bAnu\b', self.user, piece)
        piece = piece.replace('cisco123', self.password).replace('wrong-guess', self.password)
        piece = piece.replace('18wA0TtGmDxPKPQCJywC7fB7EWLCEgz-ZtjYpAyXx2yJ', self.token)
        piece = piece.replace('<session-id>32768<', '<session-id>%s<' % self.session_id)
        piece = piece.replace('DACE1C274785F28BA11D64453096BAE294A0F2E3', self.hashes[0])
        piece = piece.replace('4C4D5B1E0B2A3A94F1A4F2B3C7D2E6A1B8C9D0E1', self.hashes[1])
        piece = piece.replace('1367268141499', self.config_hash)
        piece = piece.replace('winxp64template', self.host)
        return piece


MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split()


def stamp(text, t):
    """Each line of text behind an ASA syslog stamp at second t of the year."""
    day, rest = divmod(int(t), 86400)
    month, day = divmod(day, 28)
    head = '%s %02d 2026 %02d:%02d:%02d: %%ASA-7-711001: ' % (
        MONTHS[month % 12], day + 1, rest // 3600, rest // 60 % 60, rest % 60)
    return ''.join(head + line if line.strip() else line
                   for line in text.splitlines(keepends=True))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--workload', choices=('anyconnect', 's2s'), default='anyconnect')
    ap.add_argument('--sessions', type=int)
    ap.add_argument('--mb', type=float, help='write sessions until the log has this size')
    ap.add_argument('--in-flight', type=int, default=200)
    ap.add_argument('--stamps', action='store_true')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('out')
    a = ap.parse_args()
    if a.sessions is None and a.mb is None:
        a.sessions = 1000
    rnd = random.Random(a.seed)
    shapes = anyconnect_shapes() if a.workload == 'anyconnect' else s2s_shapes()
    weights = [s.weight for s in shapes]
    limit = int(a.mb * 1e6) if a.mb is not None else None
    counts = {}
    active, order, started, written, t = [], [], 0, 0, 0.0

    def more():
        if a.sessions is not None:
            return started < a.sessions
        return written < limit

    with open(a.out, 'w') as out:
        while active or more():
            while not order and len(active) < a.in_flight and more():
                shape = rnd.choices(shapes, weights)[0]
                active.append(Session(shape, started, rnd))
                counts[shape.outcome] = counts.get(shape.outcome, 0) + 1
                started += 1
            # each open session speaks once per round, in an order of its own
            if not order:
                order = list(range(len(active)))
                rnd.shuffle(order)
            s = active[order.pop()]
            if s.done():
                continue
            text = s.text()
            if a.stamps:
                text = stamp(text, t)
                t += 0.05
            out.write(text)
            written += len(text)
            if not order:
                active = [x for x in active if not x.done()]
    with open(a.out + '.expect', 'w') as f:
        f.write('sessions %d\n' % started)
        for outcome in sorted(counts):
            f.write('%s %d\n' % (outcome, counts[outcome]))


if __name__ == '__main__':
    main()
