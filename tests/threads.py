#!/usr/bin/env python3
"""The lexer on a thread of its own gives the same output as one thread: on
every sample (and corpus log, when there) and on generated head-end logs,
sessions, timeline (with --raw), verify and --json sessions are compared byte
for byte, standard error included, between IKESCOPE_THREADS=0 and =1; on the
generated logs also with the records matched always on the lexer's thread
(=lexer) and always on the other (=reader), one of them with so many shapes
that the lexer's table of shapes drops some on the way.

usage: threads.py IKESCOPE SOURCE_ROOT [CORPUS_DIR]"""
import glob
import os
import random
import subprocess
import sys
import tempfile


def unique_shapes(src, out, every=2, seed=7):
    """src with a line of words of its own after every few lines: so many
    shapes that the lexer's table of them fills up and drops some while
    answers given from it are still on their way to the other thread."""
    rnd = random.Random(seed)
    letters = 'abcdefghijklmnopqrstuvwxyz'
    with open(src, encoding='utf-8') as f, open(out, 'w', encoding='utf-8') as o:
        for i, line in enumerate(f):
            o.write(line)
            head = line.split('%ASA-7-711001: ', 1)
            if i % every == 0 and len(head) == 2:
                words = ' '.join(''.join(rnd.choice(letters) for _ in range(rnd.randint(4, 9)))
                                 for _ in range(rnd.randint(2, 6)))
                o.write('%s%%ASA-7-711001: IKEv2-PLAT-5: note %s\n' % (head[0], words))


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
    evicting = os.path.join(tmp, 'anyconnect-shapes.log')
    unique_shapes(os.path.join(tmp, 'anyconnect.log'), evicting)
    files.append(evicting)
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
