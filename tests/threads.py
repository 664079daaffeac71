#!/usr/bin/env python3
"""The lexer on a thread of its own gives the same output as one thread: on
every sample (and corpus log, when there) and on generated head-end logs,
sessions, timeline (with --raw), verify and --json sessions are compared byte
for byte, standard error included, between IKESCOPE_THREADS=0 and =1; on the
generated logs also with the records matched always on the lexer's thread
(=lexer) and always on the other (=reader).

usage: threads.py IKESCOPE SOURCE_ROOT [CORPUS_DIR]"""
import glob
import os
import subprocess
import sys
import tempfile


def run(binary, args, threads):
    env = dict(os.environ, IKESCOPE_THREADS=threads, LC_ALL='C', TZ='UTC')
    p = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=subprocess.DEVNULL, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    binary, root = sys.argv[1], sys.argv[2]
    corpus = sys.argv[3] if len(sys.argv) > 3 else None
    files = sorted(f for f in glob.glob(os.path.join(root, 'samples', '*', '*'))
                   if os.path.isfile(f) and not f.endswith('.md'))
    if corpus and os.path.isdir(corpus):
        files += sorted(glob.glob(os.path.join(corpus, '*.log')) +
                        glob.glob(os.path.join(corpus, '*', '*.log')))
    tmp = tempfile.mkdtemp(prefix='ikescope-threads-')
    for kind, extra in (('anyconnect', ['--stamps']), ('s2s', [])):
        out = os.path.join(tmp, kind + '.log')
        subprocess.run([sys.executable, os.path.join(root, 'tests', 'bench', 'headend.py'),
                        '--workload', kind, '--sessions', '300', '--in-flight', '200'] + extra +
                       [out], check=True)
        files.append(out)
    bad = n = 0
    # every sample at once: client logs joined to device sessions across inputs
    together = [f for f in files if '/samples/' in f]
    for args in (['--json', 'sessions'] + together, ['timeline', '--raw'] + together):
        n += 1
        if run(binary, args, '0') != run(binary, args, '1'):
            bad += 1
            print('differs: %s ... (%d inputs)' % (' '.join(args[:2]), len(together)))
    for f in files:
        sides = ('1', 'lexer', 'reader') if f.startswith(tmp) else ('1',)
        for args in (['--stats', 'sessions', f], ['timeline', '--raw', f], ['verify', f],
                     ['--json', 'sessions', f]):
            one = run(binary, args, '0')
            for side in sides:
                n += 1
                if run(binary, args, side) != one:
                    bad += 1
                    print('differs (IKESCOPE_THREADS=%s): %s' % (side, ' '.join(args)))
    for f in glob.glob(os.path.join(tmp, '*')):
        os.unlink(f)
    os.rmdir(tmp)
    print('%d runs compared, %d differ' % (n, bad))
    return 1 if bad or not n else 0


if __name__ == '__main__':
    sys.exit(main())
