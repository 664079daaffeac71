#!/usr/bin/env python3
"""usage: facts.py IKESCOPE FACTS LOG (a corpus log or a sample)
Runs 'ikescope sessions --json LOG' and checks every fact FACTS lists for
the log's file name. Exit 0 if all hold, 1 if any fails, 77 if LOG is missing."""
import json
import os
import subprocess
import sys


def session_value(s, key):
    f = s.get('failure') or {}
    kids = s.get('child_sas') or []
    if key in ('initiator_spi', 'responder_spi', 'role', 'outcome', 'user', 'tunnel_group',
               'assigned_ip'):
        v = s.get(key)
        return 'null' if v is None else str(v)
    if key == 'peer':
        return str((s.get('peer') or {}).get('address'))
    if key == 'peer_port':
        return str((s.get('peer') or {}).get('port'))
    if key == 'local':
        return str((s.get('local') or {}).get('address'))
    if key == 'sa_ids':
        return ','.join(str(x) for x in s.get('sa_ids', []))
    if key == 'failure':
        return 'none' if not s.get('failure') else 'some'
    if key.startswith('failure_'):
        v = f.get({'failure_exchange': 'exchange', 'failure_mid': 'message_id',
                   'failure_cause': 'cause', 'failure_line': 'line'}[key])
        return 'null' if v is None else str(v)
    if key == 'child_in':
        return ','.join(k['spi_in'] for k in kids if k.get('spi_in'))
    if key == 'child_out':
        return ','.join(k['spi_out'] for k in kids if k.get('spi_out'))
    if key == 'children':
        return str(len(kids))
    if key == 'installed_children':
        return str(sum(1 for k in kids if k.get('installed')))
    if key == 'exchanges':
        seen = []
        for x in s.get('exchanges', []):
            if x['type'] not in seen:
                seen.append(x['type'])
        return ','.join(seen)
    if key == 'retransmissions':
        return str(s.get('retransmissions'))
    if key == 'auth_mids':
        return ','.join(str(x['message_id']) for x in s.get('exchanges', [])
                        if x['type'] == 'IKE_AUTH')
    if key == 'copy_of':
        # the responder SPI of the session whose answered IKE_SA_INIT this one copies
        return (s.get('copy_of') or {}).get('responder_spi') or 'null'
    if key == 'answered_mids':
        # the MIDs of the exchanges whose request and response both are in the log
        return ','.join(str(x['message_id']) for x in s.get('exchanges', [])
                        if x.get('request') and x.get('response'))
    if key == 'eap':
        return ','.join('%s:%s:%s' % (e['code'], e['id'], e['config_auth'] or '-')
                        for e in s.get('eap', []))
    raise KeyError(key)


def main():
    ikescope, facts, log = sys.argv[1:4]
    if not os.path.exists(log):
        print('no %s: skipped' % log)
        return 77
    name = os.path.basename(log)
    rules = []
    for line in open(facts):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        parts = line.split()
        if parts[0] == name:
            rules.append((parts[1], parts[2:]))
    if not rules:
        print('no facts for %s' % name)
        return 1
    p = subprocess.run([ikescope, '--json', 'sessions', log], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print('ikescope failed (%d): %s' % (p.returncode, p.stderr))
        return 1
    sessions = json.loads(p.stdout)['sessions']
    bad = 0
    for which, checks in rules:
        targets = sessions if which == '*' else [sessions[int(which) - 1]] \
            if int(which) <= len(sessions) else []
        if which != '*' and not targets:
            print('FAIL %s: no session %s' % (name, which))
            bad += 1
            continue
        for check in checks:
            if check.startswith('sessions='):
                want = int(check.split('=')[1])
                ok = len(sessions) == want
                print('%s %s: %d sessions, expected %d' % ('ok  ' if ok else 'FAIL', name,
                                                           len(sessions), want))
                bad += not ok
                continue
            for s in targets:
                if '~' in check:
                    key, *words = check.split('~')
                    got = (s.get('failure') or {}).get('explanation') or ''
                    ok = ' '.join(words) in got
                    want = ' '.join(words)
                else:
                    key, want = check.split('=', 1)
                    got = session_value(s, key)
                    ok = got == want
                print('%s %s session %d: %s = %s (expected %s%s)' % (
                    'ok  ' if ok else 'FAIL', name, s['number'], key, got,
                    'to contain ' if '~' in check else '', want))
                bad += not ok
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
