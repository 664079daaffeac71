#!/usr/bin/env python3
"""Hostile and broken inputs: each case runs ikescope on an input made at
test time and checks the exact behaviour (exit status, what is said on
stderr, what is kept), as TAP.

usage: run.py IKESCOPE [--sanitized]   (run from the source root)

With --sanitized (an AddressSanitizer build), the memory bounds are four
times larger: the sanitizer's own bookkeeping, with a small quarantine.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

IKESCOPE = os.path.abspath(sys.argv[1])
SANITIZED = "--sanitized" in sys.argv[2:]
SAMPLE = "samples/asa/anyconnect-eap-success.log"
DART = "samples/dart/anyconnect-eap-success.txt"
ENV = {"LC_ALL": "C", "TZ": "UTC", "PATH": "/usr/bin:/bin"}
# a sanitizer's settings from make check pass through; freed memory is not held long
for k in ("UBSAN_OPTIONS", "ASAN_OPTIONS"):
    if k in os.environ:
        ENV[k] = os.environ[k]
ENV["ASAN_OPTIONS"] = ":".join(
    x for x in (ENV.get("ASAN_OPTIONS"), "quarantine_size_mb=4", "malloc_context_size=2") if x)
MIB = 1024 * (4 if SANITIZED else 1)  # peak RSS is in KiB
RECV = ("IKEv2-PLAT-4: RECV PKT [IKE_SA_INIT] [192.0.2.1]:500->[198.51.100.1]:500 "
        "InitSPI=0x%016x RespSPI=0x0000000000000000 MID=00000000\n")

results = []


class Measured(subprocess.Popen):
    """A child whose peak RSS (KiB) is kept when it is waited for."""
    rss = 0

    def _try_wait(self, wait_flags):
        try:
            pid, sts, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return (self.pid, 0)
        if pid == self.pid:
            self.rss = usage.ru_maxrss
        return (pid, sts)


def run(args, stdin=None, user=None):
    """Runs ikescope; returns (status, stdout, stderr, peak RSS in KiB)."""
    cmd = [IKESCOPE] + args
    if user is not None:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups"] + cmd
    p = Measured(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    out, err = p.communicate(stdin)
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), p.rss


def case(name, fn):
    try:
        problem = fn()
    except Exception as e:  # a broken case fails, it does not stop the others
        problem = "%s: %s" % (type(e).__name__, e)
    results.append((name, problem))


def expect(status, want_status, err=None, want_err=None):
    if status != want_status:
        return "exit status %d, expected %d (stderr: %r)" % (status, want_status, err)
    if want_err is not None and err != want_err:
        return "stderr %r, expected %r" % (err, want_err)
    return None


def session_rows(out):
    return [l for l in out.splitlines() if l[:3].strip().isdigit()]


def no_terminal_controls(text):
    """None, or what shows a raw escape or control code got through."""
    for i, ch in enumerate(text):
        c = ord(ch)
        if (c < 0x20 and ch not in "\t\n") or 0x7f <= c <= 0x9f:
            return "raw control U+%04X at %d: %r" % (c, i, text[max(0, i - 20):i + 20])
    return None


def main():
    tmp = tempfile.mkdtemp(prefix="ikescope-hostile-")
    os.chmod(tmp, 0o755)
    t = lambda name: os.path.join(tmp, name)
    sample = open(SAMPLE, "rb").read()
    ref_status, ref_out, _, _ = run(["sessions", SAMPLE])

    # -- files that cannot be read --
    def failing(args, want_err):
        status, _, err, _ = run(args)
        return expect(status, 2, err, want_err)
    case("nonexistent file", lambda: failing(
        ["sessions", t("missing.log")],
        "ikescope: %s: No such file or directory\n" % t("missing.log")))

    os.mkdir(t("empty-dir"))
    case("empty directory", lambda: failing(
        ["sessions", t("empty-dir")],
        "ikescope: %s: is a directory with no files to read\n" % t("empty-dir")))

    def unreadable():
        shutil.copy(SAMPLE, t("locked.log"))
        os.chmod(t("locked.log"), 0)
        shutil.copy(SAMPLE, t("open.log"))
        os.chmod(t("open.log"), 0o644)
        user = 65534 if os.geteuid() == 0 else None
        if user is not None and not shutil.which("setpriv"):
            return None
        status, out, err, _ = run(["sessions", t("locked.log"), t("open.log")], user=user)
        problem = expect(status, 2, err,
                         "ikescope: %s: Permission denied\n" % t("locked.log"))
        if not problem and len(session_rows(out)) != 1:
            return "the readable input was not analysed: %r" % out
        return problem
    case("unreadable file, and a readable one after it", unreadable)

    # -- empty and binary inputs --
    open(t("empty.log"), "wb").close()
    case("empty file", lambda: expect(
        *(lambda r: (r[0], 1, r[2], "ikescope: %s: no IKEv2 content\n" % t("empty.log")))(
            run(["sessions", t("empty.log")]))))
    case("empty standard input", lambda: expect(
        *(lambda r: (r[0], 1, r[2], "ikescope: (stdin): no IKEv2 content\n"))(
            run(["sessions", "-"], stdin=b""))))

    rnd = random.Random(7)
    binary = bytes(rnd.randrange(256) for _ in range(200000))
    open(t("binary.bin"), "wb").write(binary)

    def binary_file():
        status, out, err, _ = run(["--stats", "lex", "--all", t("binary.bin")])
        if status != 0:
            return "exit status %d" % status
        first = err.splitlines()[0]
        if not first.startswith("ikescope: %s: looks like binary data, not a log (" % t("binary.bin")):
            return "no binary warning: %r" % err[:200]
        lines = binary.count(b"\n") + (0 if binary.endswith(b"\n") else 1)
        if "lines: %d," % lines not in err:
            return "not every line accounted for (%d): %r" % (lines, err[-300:])
        return no_terminal_controls(out)
    case("binary file: warned, every line accounted for, nothing raw printed", binary_file)

    open(t("nul.bin"), "wb").write(b"\0" * 100000)
    case("file of NUL bytes only", lambda: expect(
        *(lambda r: (r[0], 1, r[2],
                     "ikescope: %s: looks like binary data, not a log (100000 of its 100000 "
                     "bytes are NUL or control codes); read as text anyway\n"
                     "ikescope: %s: no IKEv2 content\n" % (t("nul.bin"), t("nul.bin"))))(
            run(["sessions", t("nul.bin")]))))

    def long_line():
        with open(t("long.log"), "wb") as f:
            f.write((RECV % 0x1000000000000001).encode())
            chunk = b"A" * (1 << 20)
            for _ in range(100):
                f.write(chunk)
        status, out, err, rss = run(["sessions", t("long.log")])
        problem = expect(status, 1, err,
                         "ikescope: %s:2: a line longer than 1 MiB was cut there (1 line cut "
                         "in all)\n" % t("long.log"))
        if problem:
            return problem
        if len(session_rows(out)) != 1:
            return "the session before the line was lost: %r" % out
        if rss > 64 * MIB:
            return "peak RSS %d KiB for a 100 MB line" % rss
        return None
    case("a 100 MB line without newline", long_line)

    # -- logs cut short --
    lines = sample.split(b"\n")

    def cut(name, at, shorter_by, exch):
        data = b"\n".join(lines[:at]) + b"\n"
        data = data[:len(data) - shorter_by]
        open(t(name), "wb").write(data)
        status, out, err, _ = run(["verify", "--fail-on=info", t(name)])
        if status != 1 or err:
            return "exit status %d, stderr %r" % (status, err)
        if "log.truncated" not in out:
            return "no log.truncated finding: %r" % out
        status, out, err, _ = run(["sessions", t(name)])
        rows = session_rows(out)
        if status != 1 or len(rows) != 1 or " incomplete " not in rows[0]:
            return "not one incomplete session: %r" % out
        if rows[0].split()[6] != str(exch):
            return "exchanges before the cut not kept (%s, expected %d): %r" % (
                rows[0].split()[6], exch, rows[0])
        return None
    case("log cut in the middle of a record", lambda: cut("cut-record.log", 300, 40, 2))
    case("log cut in the middle of an XML document", lambda: cut("cut-xml.log", 453, 0, 3))
    failure = open("samples/asa/anyconnect-eap-failure.log", "rb").read().split(b"\n")

    def cut_hex():
        data = b"\n".join(failure[:52])[:-20]
        open(t("cut-hex.log"), "wb").write(data)
        status, out, err, _ = run(["verify", "--fail-on=info", t("cut-hex.log")])
        if status != 1 or err:
            return "exit status %d, stderr %r" % (status, err)
        for want in ("log.truncated L52", "L1-L52"):
            if want not in out:
                return "no %s: %r" % (want, out)
        return None
    case("log cut in the middle of a hex dump", cut_hex)

    # -- XML attacks inside an EAP message --
    init_at = next(i for i, l in enumerate(lines) if b'type="init"' in l) - 1
    init_end = next(i for i in range(init_at, len(lines)) if lines[i] == b"</config-auth>")
    open(t("secret.txt"), "w").write("XXE-SECRET-CONTENT\n")

    def xml_attack(name, dtd, body_field):
        doc = [b'<?xml version="1.0" encoding="UTF-8"?>'] + dtd + [
            b'<config-auth client="vpn" type="init">',
            b"<device-id>" + body_field + b"</device-id>",
            b'<version who="vpn">3.0.1047</version>',
            b"<group-select>ASA-IKEV2</group-select>",
            b"<group-access>ASA-IKEV2</group-access>", b"</config-auth>"]
        data = b"\n".join(lines[:init_at] + doc + lines[init_end + 1:])
        open(t(name), "wb").write(data)
        status, out, err, rss = run(["-v", "--json", "timeline", t(name)])
        if status != 0 or err:
            return "exit status %d, stderr %r" % (status, err)
        if "XXE-SECRET-CONTENT" in out or "lollollollollollollollollollollol" in out:
            return "an entity was expanded or fetched"
        if rss > 64 * MIB:
            return "peak RSS %d KiB" % rss
        status, out, err, _ = run(["verify", "--fail-on=warn", t(name)])
        if status != 1 or "neither expanded nor fetched" not in out:
            return "no eap.xml finding: %r" % out
        return None
    laughs = [b'<!DOCTYPE config-auth [', b'<!ENTITY a "lollollollollollollollollollol">']
    for k in "bcdefghi":
        prev = chr(ord(k) - 1).encode()
        laughs.append(b'<!ENTITY ' + k.encode() + b' "' + (b"&" + prev + b";") * 10 + b'">')
    laughs.append(b"]>")
    case("XML bomb in an EAP message", lambda: xml_attack("bomb.log", laughs, b"&i;"))
    xxe = [b"<!DOCTYPE config-auth [",
           b'<!ENTITY x SYSTEM "file://' + t("secret.txt").encode() + b'">', b"]>"]
    case("external entity in an EAP message", lambda: xml_attack("xxe.log", xxe, b"&x;"))

    def declared_encoding():
        prof = open("samples/profile/anyconnect-ikev2.xml", "rb").read()
        open(t("utf32.xml"), "wb").write(prof.replace(b'encoding="UTF-8"', b'encoding="UTF-32"', 1))
        status, out, err, _ = run(["--profile", t("utf32.xml"), "verify", SAMPLE])
        if err:
            return "the XML library spoke on stderr: %r" % err
        if status != 1 or "profile.xml L1" not in out:
            return "exit status %d, no profile.xml finding: %r" % (status, out)
        return None
    case("an XML profile declaring an encoding it is not in", declared_encoding)

    def redact_long_run():
        # a user name, then a 1 MB run of name characters and dashes: every dash is a
        # place a name could start
        open(t("run.log"), "w").write("<username>ab</username>\n" + "a-" * 500000 + "ab\n")
        status, _, err, _ = run(["redact", "-o", t("run.red"), t("run.log")])
        if status != 0:
            return "exit status %d: %r" % (status, err)
        out = open(t("run.red")).read()
        if not out.endswith("a-user1\n") or "<username>user1</username>" not in out:
            return "not redacted: %r" % out[-40:]
        return None
    case("redact on a 1 MB run of name characters", redact_long_run)

    # -- one million distinct SPIs that never complete --
    def million():
        with open(t("million.log"), "w") as f:
            for i in range(1000000):
                f.write(RECV % (0x1000000000000000 + i))
        status, out, err, rss = run(["sessions", t("million.log")])
        os.unlink(t("million.log"))
        if status != 1 or err:
            return "exit status %d, stderr %r" % (status, err[:200])
        rows = session_rows(out)
        if len(rows) != 1000000 or any(" incomplete " not in r for r in rows[::997]):
            return "%d sessions, expected 1000000 incomplete" % len(rows)
        if rss > 100 * MIB:
            return "peak RSS %d KiB" % rss
        return None
    case("one million distinct SPIs: every session, memory bounded", million)

    def evicted_finding():
        with open(t("spis.log"), "w") as f:
            for i in range(10500):
                f.write(RECV % (0x2000000000000000 + i))
        status, out, err, _ = run(["verify", t("spis.log")])
        if "log.evicted" not in out or "more than 10000 sessions were open at once" not in out:
            return "no log.evicted finding"
        return None
    case("sessions finished early are given log.evicted", evicted_finding)

    # -- escapes and control codes inside log lines --
    def escapes():
        evil = sample.replace(b"Anu", b"An\x1b]0;owned\x07u\x1b[2J\xc2\x9b31m\x9b", 1)
        open(t("escapes.log"), "wb").write(evil)
        for args in (["-v", "timeline"], ["--json", "sessions"], ["--json", "-v", "timeline"],
                     ["verify"], ["lex", "--all"], ["--raw", "timeline"],
                     ["tui", "--keys", "<enter>v<dump>a"]):
            status, out, err, _ = run(args + [t("escapes.log")])
            if status == 2:
                return "%s: exit status 2: %s" % (args, err)
            problem = no_terminal_controls(out + err)
            if problem:
                return "%s: %s" % (" ".join(args), problem)
        return None
    case("escape sequences in a log are shown escaped (text, JSON, TUI)", escapes)

    # -- a directory of files --
    def directory():
        d = t("bundle")
        os.makedirs(os.path.join(d, "client"))
        shutil.copy(SAMPLE, os.path.join(d, "asa.log"))
        shutil.copy(DART, os.path.join(d, "client", "dart.txt"))
        open(os.path.join(d, ".hidden"), "w").write("not read\n")
        s1, out1, err1, _ = run(["sessions", d])
        s2, out2, err2, _ = run(["sessions", os.path.join(d, "asa.log"),
                                 os.path.join(d, "client", "dart.txt")])
        if (s1, out1, err1) != (s2, out2, err2):
            return "the directory does not read as its files: %r vs %r" % (out1, out2)
        return None if s1 == 0 and out1 else "exit status %d: %r" % (s1, out1)
    case("a directory given as input reads its files in name order", directory)
    case("diff given a directory that has files", lambda: failing(
        ["diff", "samples", SAMPLE], "ikescope: samples: is a directory, not a file\n"))

    # -- encodings --
    def utf16():
        text = open(DART, "rb").read().decode("utf-8")
        open(t("le.txt"), "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
        open(t("be.txt"), "wb").write(text.encode("utf-16-be"))
        ref = run(["sessions", DART])[1]
        for name, enc in (("le.txt", "UTF-16LE"), ("be.txt", "UTF-16BE")):
            status, out, err, _ = run(["sessions", t(name)])
            if out.replace(t(name), DART) != ref:
                return "%s: not the sessions of the UTF-8 log" % name
            if err != "ikescope: %s: %s text, read as UTF-8\n" % (t(name), enc):
                return "%s: stderr %r" % (name, err)
            status, out, err, _ = run(["sessions", "-"], stdin=open(t(name), "rb").read())
            if out != ref:
                return "%s on standard input: not the sessions of the UTF-8 log" % name
        return None
    case("UTF-16 logs (LE with BOM, BE without) read as the UTF-8 one", utf16)

    def mixed():
        evil = sample.replace(b"user Anu", b"user Jos\xe9", 1).replace(
            b"Anu", "Jos\u00e9".encode(), 1)
        open(t("mixed.log"), "wb").write(evil)
        status, out, err, _ = run(["lex", "--all", t("mixed.log")])
        if status != 0 or "\ufffd" in out:
            return "a byte was replaced or status %d" % status
        if run(["sessions", t("mixed.log")])[0] != ref_status:
            return "the session changed"
        return None
    case("UTF-8 and Windows-1252 bytes mixed: nothing replaced", mixed)

    # -- the valid parts around bad ones --
    def garbage_between():
        other = open("samples/asa/s2s-invalid-ke-initiator.log", "rb").read()
        open(t("mixed-garbage.log"), "wb").write(
            sample + b"\n" + binary[:5000] + b"\n" + b"\0" * 3000 + b"\n" + other)
        status, out, err, _ = run(["sessions", t("mixed-garbage.log")])
        rows = session_rows(out)
        if len(rows) != 2 or " up " not in rows[0] or " failed " not in rows[1]:
            return "the sessions around the garbage changed: %r" % out
        return None
    case("analysis goes on after binary garbage", garbage_between)

    shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    failed = 0
    for i, (name, problem) in enumerate(results, 1):
        if problem:
            failed += 1
            print("not ok %d - %s" % (i, name))
            for l in problem.splitlines():
                print("# " + l)
        else:
            print("ok %d - %s" % (i, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
