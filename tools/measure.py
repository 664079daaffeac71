#!/usr/bin/env python3
"""usage: measure.py STDERR_FILE COMMAND [ARGS...]
Runs COMMAND with its standard output discarded and its standard error
written to STDERR_FILE, and prints one line: wall seconds, peak resident
memory in KB and exit status. The peak is VmHWM of the process (read while
it runs), which belongs to the program after exec, not to this script."""
import subprocess
import sys
import time


def peak_kb(p, interval=0.01):
    """Waits for process p, reading its VmHWM from /proc as it runs: the
    highest, in KB (0 if it ended before the first read)."""
    peak = 0
    while p.poll() is None:
        try:
            with open('/proc/%d/status' % p.pid) as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        peak = max(peak, int(line.split()[1]))
        except OSError:
            pass
        time.sleep(interval)
    return peak


def main():
    errfile, cmd = sys.argv[1], sys.argv[2:]
    with open(errfile, 'w') as err:
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        peak = peak_kb(p)
        dt = time.monotonic() - t
    print('%.3f %d %d' % (dt, peak, p.returncode))


if __name__ == '__main__':
    main()
