#!/usr/bin/env python3
"""Writes a synthetic ASA debug log of N interleaved IKEv2 sessions, shaped
like samples/asa/anyconnect-eap-success.log: each session gets its own SPIs,
SA number, client address and child SPIs; some are cut short after a
rejected IKE_SA_INIT (failures), the rest run to the end (up). Sessions are
interleaved a round trip at a time, as a busy head end prints them.

usage: gen.py [--sessions N] [--concurrent K] [--fail-percent P] [--seed S] OUT
"""
import argparse
import os
import random
import re

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEMPLATE = os.path.join(TOP, 'samples', 'asa', 'anyconnect-eap-success.log')

ISPI, RSPI = '58AFF71141BA436B', 'FC696330E6B94D7F'
CHILD_IN, CHILD_OUT = '30B848A4', '77EE5348'

FAIL_TAIL = """IKEv2-PROTO-1: (6): Failed to find a matching policy
IKEv2-PROTO-1: (6): Received Policies:
Proposal 1:  AES-CBC-128 SHA1 SHA96 DH_GROUP_2048_MODP/Group 14

IKEv2-PROTO-1: (6): Expected Policies:
Proposal 1:  AES-CBC-192 SHA1 SHA96 DH_GROUP_768_MODP/Group 1

IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F (R) MsgID = 00000000 CurState: R_INIT Event: EV_NO_PROP_CHOSEN
IKEv2-PROTO-5: Construct Notify Payload: NO_PROPOSAL_CHOSEN
IKEv2-PROTO-3: Tx [L 10.0.0.1:500/R 192.168.1.1:25170/VRF i0:f0] m_id: 0x0
IKEv2-PROTO-3: HDR[i:58AFF71141BA436B - r: FC696330E6B94D7F]
IKEv2-PROTO-4: IKEV2 HDR ispi: 58AFF71141BA436B - rspi: FC696330E6B94D7F
IKEv2-PROTO-4: Next payload: N, version: 2.0
IKEv2-PROTO-4: Exchange type: IKE_SA_INIT, flags: RESPONDER MSG-RESPONSE
IKEv2-PROTO-4: Message id: 0x0, length: 36
NOTIFY(NO_PROPOSAL_CHOSEN)  Next payload: NONE, reserved: 0x0, length: 8
    Security protocol id: IKE, spi size: 0, type: NO_PROPOSAL_CHOSEN

IKEv2-PLAT-4: SENT PKT [IKE_SA_INIT] [10.0.0.1]:500->[192.168.1.1]:25170 InitSPI=0x58aff71141ba436b RespSPI=0xfc696330e6b94d7f MID=00000000
IKEv2-PROTO-1: (6): Initial exchange failed
IKEv2-PROTO-5: (6): SM Trace-> SA: I_SPI=58AFF71141BA436B R_SPI=FC696330E6B94D7F (R) MsgID = 00000000 CurState: EXIT Event: EV_FREE_SA
"""


def round_trips(text):
    """The template cut at each received packet: one round trip per piece."""
    pieces, cur = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith('IKEv2-PLAT-4: RECV PKT') and cur:
            pieces.append(''.join(cur))
            cur = []
        cur.append(line)
    pieces.append(''.join(cur))
    return pieces


def rewrite(piece, i):
    ispi = '%016X' % (0x1000000000000000 + i * 7919)
    rspi = '%016X' % (0x2000000000000000 + i * 104729)
    piece = piece.replace(ISPI, ispi).replace(ISPI.lower(), ispi.lower())
    piece = piece.replace(RSPI, rspi).replace(RSPI.lower(), rspi.lower())
    piece = piece.replace(CHILD_IN, '%08X' % (0x30000000 + i)).replace(
        CHILD_OUT, '%08X' % (0x70000000 + i))
    piece = piece.replace('192.168.1.1', '10.%d.%d.%d' % (64 + i // 65025 % 64,
                                                          i // 255 % 255, i % 255 + 1))
    piece = re.sub(r'\(6\)', '(%d)' % (i + 1), piece)
    return piece


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sessions', type=int, default=1000)
    ap.add_argument('--concurrent', type=int, default=40)
    ap.add_argument('--fail-percent', type=int, default=70)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('out')
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    trips = round_trips(open(TEMPLATE).read())
    fail = [trips[0], FAIL_TAIL]
    active, started, turn = [], 0, 0
    with open(a.out, 'w') as out:
        while active or started < a.sessions:
            while len(active) < a.concurrent and started < a.sessions:
                pieces = fail if rnd.randrange(100) < a.fail_percent else trips
                active.append([started, pieces, 0])
                started += 1
            # round robin, with a little jitter
            k = (turn + rnd.randrange(2)) % len(active)
            turn += 1
            i, pieces, n = active[k]
            out.write(rewrite(pieces[n], i))
            active[k][2] += 1
            if active[k][2] == len(pieces):
                active.pop(k)


if __name__ == '__main__':
    main()
