/*
 * Inputs: opening a log (standard input, UTF-16 text made UTF-8), a
 * directory given as an input (its files), and what an input's reading
 * repaired, said on stderr.
 */

#include "cli-private.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "ikescope/grammar.h"
#include "ikescope/lexer.h"
#include "ikescope/model.h"
#include "ikescope/reconstruct.h"
#include "ikescope/util/xalloc.h"

/* ---- encodings ---- */

enum utf16 { UTF16_NONE, UTF16_LE, UTF16_BE };

/* Inputs that were read as UTF-16: the stream handed out, and which. */
struct transcoded {
	FILE *fp;
	enum utf16 kind;
	bool reversed; /* a log pasted newest line first, given in time order */
	struct transcoded *next;
};
static struct transcoded *transcoded;

/* UTF-16 from the first bytes: a byte order mark, or ASCII text with every other byte zero. */
static enum utf16
sniff_utf16(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0xff && b[1] == 0xfe && !(n >= 4 && !b[2] && !b[3]))
		return UTF16_LE;
	if (n >= 2 && b[0] == 0xfe && b[1] == 0xff)
		return UTF16_BE;
	if (n < 4)
		return UTF16_NONE;
	if (b[0] >= 0x09 && b[0] < 0x80 && !b[1] && b[2] >= 0x09 && b[2] < 0x80 && !b[3])
		return UTF16_LE;
	if (!b[0] && b[1] >= 0x09 && b[1] < 0x80 && !b[2] && b[3] >= 0x09 && b[3] < 0x80)
		return UTF16_BE;
	return UTF16_NONE;
}

static void
put_utf8(FILE *out, uint32_t cp)
{
	if (cp < 0x80) {
		putc((int)cp, out);
	} else if (cp < 0x800) {
		putc((int)(0xc0 | (cp >> 6)), out);
		putc((int)(0x80 | (cp & 0x3f)), out);
	} else if (cp < 0x10000) {
		putc((int)(0xe0 | (cp >> 12)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3f)), out);
		putc((int)(0x80 | (cp & 0x3f)), out);
	} else {
		putc((int)(0xf0 | (cp >> 18)), out);
		putc((int)(0x80 | ((cp >> 12) & 0x3f)), out);
		putc((int)(0x80 | ((cp >> 6) & 0x3f)), out);
		putc((int)(0x80 | (cp & 0x3f)), out);
	}
}

/*
 * Writes the UTF-16 text of head (n bytes) then of in to a temporary file
 * as UTF-8, and returns it at its start. An unpaired surrogate or an odd
 * last byte becomes U+FFFD; the byte order mark is left out.
 */
static FILE *
utf16_to_file(enum utf16 kind, const unsigned char *head, size_t n, FILE *in, const char *path,
	      struct err *err)
{
	FILE *out = tmpfile();
	unsigned char buf[65536];
	uint32_t high = 0; /* a high surrogate waiting for its low one */
	bool first = true, odd = false;
	unsigned char carry = 0;

	if (!out) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 },
			"UTF-16 text: cannot create a temporary UTF-8 copy: %s", strerror(errno));
		return NULL;
	}
	memcpy(buf, head, n);
	for (;;) {
		size_t i = 0;

		n += fread(buf + n, 1, sizeof(buf) - n, in);
		if (!n)
			break;
		if (odd) {
			/* the byte left from the last block pairs with this block's first */
			memmove(buf + 1, buf, n);
			buf[0] = carry;
			n++;
			odd = false;
		}
		for (; i + 1 < n; i += 2) {
			uint32_t u = kind == UTF16_LE ? (uint32_t)(buf[i] | buf[i + 1] << 8)
						      : (uint32_t)(buf[i] << 8 | buf[i + 1]);

			if (first && u == 0xfeff) {
				first = false;
				continue;
			}
			first = false;
			if (u >= 0xd800 && u <= 0xdbff) {
				if (high)
					put_utf8(out, 0xfffd);
				high = u;
				continue;
			}
			if (u >= 0xdc00 && u <= 0xdfff) {
				put_utf8(out,
					 high ? 0x10000 + ((high - 0xd800) << 10) + (u - 0xdc00)
					      : 0xfffd);
				high = 0;
				continue;
			}
			if (high)
				put_utf8(out, 0xfffd);
			high = 0;
			put_utf8(out, u);
		}
		if (i < n) {
			carry = buf[i];
			odd = true;
		}
		n = 0;
		if (feof(in) || ferror(in))
			break;
	}
	if (high || odd)
		put_utf8(out, 0xfffd);
	if (ferror(in) || fflush(out) != 0 || ferror(out) || fseek(out, 0, SEEK_SET) != 0) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "UTF-16 text: %s",
			strerror(errno ? errno : EIO));
		fclose(out);
		return NULL;
	}
	return out;
}

/* Standard input with its first bytes, already read to look at them, given back first. */
struct prefixed {
	unsigned char *head; /* allocated */
	size_t n, at;
	FILE *in;
	bool own; /* in is closed with the stream */
};

static ssize_t
prefixed_read(void *cookie, char *buf, size_t size)
{
	struct prefixed *p = cookie;
	size_t k = 0;

	while (k < size && p->at < p->n)
		buf[k++] = (char)p->head[p->at++];
	if (k < size)
		k += fread(buf + k, 1, size - k, p->in);
	if (!k && ferror(p->in))
		return -1;
	return (ssize_t)k;
}

static int
prefixed_close(void *cookie)
{
	struct prefixed *p = cookie;
	int rc = p->own ? fclose(p->in) : 0;

	free(p->head);
	free(p);
	return rc;
}

static void
forget_transcoded(void)
{
	while (transcoded) {
		struct transcoded *t = transcoded;

		transcoded = t->next;
		free(t);
	}
}

static void add_dir(const char *dir, int depth, char ***list, size_t *n);

/* ---- logs pasted newest line first ---- */

/* Bigger files are read as they are: the reordering holds a file in memory. */
#define REVERSE_MAX_BYTES (64u << 20)
/* Whether the timestamps run backwards is judged on the start of a file. */
#define REVERSE_PROBE_BYTES (256u << 10)

static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/*
 * The time a line starts with (a syslog or debug timestamp, after a '*', a
 * '<PRI>' or a sequence number), false if it starts with none.
 */
static bool
line_stamp(const char *p, size_t n, struct model_time *t)
{
	char head[48];
	size_t i = 0, k;

	while (i < n && (p[i] == ' ' || p[i] == '*' || p[i] == '\t'))
		i++;
	if (i < n && p[i] == '<')
		while (i < n && p[i] != '>')
			i++;
	if (i < n && p[i] == '>')
		i++;
	/* "2328304: Jun  8 ..." */
	for (k = i; k < n && p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (k > i && k + 1 < n && p[k] == ':' && p[k + 1] == ' ')
		i = k + 2;
	if (i + 8 > n)
		return false;
	for (k = 0; k < 12 && memcmp(p + i, months[k], 3); k++)
		;
	if (k == 12 && !(p[i] >= '0' && p[i] <= '9' && (p[i + 4] == '-' || p[i + 2] == '/')))
		return false;
	k = n - i < sizeof(head) - 1 ? n - i : sizeof(head) - 1;
	memcpy(head, p + i, k);
	head[k] = '\0';
	return model_time_parse(NULL, head, t);
}

/* True if the stamped lines of buf[0, n) run backwards: every step back, or nearly every one. */
static bool
runs_backwards(const char *buf, size_t n)
{
	struct model_time prev = { 0, false }, t;
	size_t i, back = 0, forth = 0;
	bool have = false;

	for (i = 0; i < n;) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (buf + i)) : n - i;

		if (line_stamp(buf + i, len, &t)) {
			if (have && t.ms != prev.ms)
				*(t.ms < prev.ms ? &back : &forth) += 1;
			prev = t;
			have = true;
		}
		i += len + (nl ? 1 : 0);
	}
	return (back >= 2 && !forth) || (back >= 3 && back > 4 * forth);
}

/*
 * The log buf[0, n) in time order when its timestamps run backwards
 * (pasted newest line first): each stamped line with the lines without a
 * stamp after it (a dump, a wrapped line) is one group, and the groups go
 * in reverse. Returns a temporary copy, or NULL if the log runs forwards.
 */
static FILE *
reversed_copy(const char *buf, size_t n)
{
	size_t i, *starts = NULL, nstarts = 0, cap = 0;
	struct model_time t;
	FILE *out = NULL;

	for (i = 0; i < n;) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (buf + i)) : n - i;

		if (line_stamp(buf + i, len, &t)) {
			starts = xreallocarray(starts,
					       nstarts + 1 > cap ? (cap = cap * 2 + 64) : cap,
					       sizeof(*starts));
			starts[nstarts++] = i;
		}
		i += len + (nl ? 1 : 0);
	}
	/* the whole file judged again: its start may not tell for all of it */
	if (nstarts && runs_backwards(buf, n) && (out = tmpfile())) {
		size_t g, end = n;

		/* what comes before the first stamp stays first */
		fwrite(buf, 1, starts[0], out);
		for (g = nstarts; g-- > 0;) {
			fwrite(buf + starts[g], 1, end - starts[g], out);
			if (end == n && n && buf[n - 1] != '\n')
				fputc('\n', out);
			end = starts[g];
		}
		if (fflush(out) != 0 || fseek(out, 0, SEEK_SET) != 0) {
			fclose(out);
			out = NULL;
		}
	}
	free(starts);
	return out;
}

/*
 * A file whose timestamps run backwards, given in time order: a temporary
 * copy, or NULL to read fp as it is.
 */
static FILE *
time_order(FILE *fp)
{
	struct stat st;
	char *buf;
	size_t n;
	FILE *out;

	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > REVERSE_MAX_BYTES)
		return NULL;
	/* first the start of the file; all of it only when that runs backwards */
	n = (size_t)st.st_size < REVERSE_PROBE_BYTES ? (size_t)st.st_size : REVERSE_PROBE_BYTES;
	buf = xmalloc(n);
	n = fread(buf, 1, n, fp);
	rewind(fp);
	if (!runs_backwards(buf, n)) {
		free(buf);
		return NULL;
	}
	free(buf);
	buf = xmalloc((size_t)st.st_size);
	n = fread(buf, 1, (size_t)st.st_size, fp);
	rewind(fp);
	out = reversed_copy(buf, n);
	free(buf);
	return out;
}

/* Stamped lines enough to judge the order of a pipe's lines. */
#define REVERSE_PROBE_STAMPS 64

/* The number of stamped lines in buf[0, n). */
static size_t
stamped_lines(const char *buf, size_t n)
{
	struct model_time t;
	size_t i, k = 0;

	for (i = 0; i < n;) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (buf + i)) : n - i;

		if (nl && line_stamp(buf + i, len, &t))
			k++;
		i += len + (nl ? 1 : 0);
	}
	return k;
}

/*
 * The start of a pipe, read to judge its order: whole lines until
 * REVERSE_PROBE_STAMPS stamped ones, REVERSE_PROBE_BYTES or its end. When it
 * runs backwards the whole pipe is read (up to REVERSE_MAX_BYTES) and given
 * in time order as *ordered; else *buf and *n hold what was read, to be
 * given back first.
 */
static void
probe_pipe(FILE *in, unsigned char **buf, size_t *n, FILE **ordered)
{
	size_t cap = 4096, len = *n, scanned = 0, stamps = 0;
	unsigned char *b = xmalloc(cap);
	int c;

	memcpy(b, *buf, len);
	free(*buf);
	*ordered = NULL;
	/* line by line: a slow pipe is not waited on past the lines it needs */
	while (len < REVERSE_PROBE_BYTES && stamps < REVERSE_PROBE_STAMPS &&
	       (c = getc(in)) != EOF) {
		if (len == cap)
			b = xrealloc(b, cap *= 2);
		b[len++] = (unsigned char)c;
		if (c == '\n') {
			stamps += stamped_lines((const char *)b + scanned, len - scanned);
			scanned = len;
		}
	}
	if (runs_backwards((const char *)b, len)) {
		size_t k;

		for (;;) {
			if (len == cap)
				b = xrealloc(b, cap *= 2);
			k = fread(b + len, 1, cap - len, in);
			len += k;
			if (!k || len > REVERSE_MAX_BYTES)
				break;
		}
		if (len <= REVERSE_MAX_BYTES)
			*ordered = reversed_copy((const char *)b, len);
	}
	*buf = b;
	*n = len;
}

/* True if the directory holds a file that cli_expand_inputs() would read. */
static bool
dir_has_files(const char *path)
{
	char **list = NULL;
	size_t n = 0, k;

	add_dir(path, 0, &list, &n);
	for (k = 0; k < n; k++)
		free(list[k]);
	free(list);
	return n > 0;
}

static FILE *open_input(const char *path, bool reorder, struct err *err);

/* A temporary copy handed out for an input, kept to say so when it is read. */
static FILE *
remember_copy(FILE *fp, enum utf16 kind, bool reversed)
{
	struct transcoded *t;

	if (!transcoded)
		atexit(forget_transcoded);
	t = xcalloc(1, sizeof(*t));
	t->fp = fp;
	t->kind = kind;
	t->reversed = reversed;
	t->next = transcoded;
	transcoded = t;
	return fp;
}

FILE *
cli_open_input(const char *path, struct err *err)
{
	return open_input(path, true, err);
}

FILE *
cli_open_input_as_is(const char *path, struct err *err)
{
	return open_input(path, false, err);
}

static FILE *
open_input(const char *path, bool reorder, struct err *err)
{
	unsigned char head[4];
	struct stat st;
	enum utf16 kind;
	bool is_stdin = !strcmp(path, "-");
	size_t n;
	FILE *fp;

	if (is_stdin) {
		fp = stdin;
	} else {
		fp = fopen(path, "rb");
		if (!fp) {
			err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s", strerror(errno));
			return NULL;
		}
		if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
			/* the commands that read logs have replaced a directory by its files */
			err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s",
				dir_has_files(path) ? "is a directory, not a file"
						    : "is a directory with no files to read");
			fclose(fp);
			return NULL;
		}
	}
	n = fread(head, 1, sizeof(head), fp);
	if (ferror(fp)) {
		err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s", strerror(errno));
		if (!is_stdin)
			fclose(fp);
		return NULL;
	}
	kind = sniff_utf16(head, n);
	if (kind != UTF16_NONE) {
		FILE *out = utf16_to_file(kind, head, n, fp, path, err);

		if (!is_stdin)
			fclose(fp);
		if (!out)
			return NULL;
		return remember_copy(out, kind, false);
	}
	if (fseek(fp, 0, SEEK_SET) == 0) {
		FILE *ordered = reorder ? time_order(fp) : NULL;

		if (!ordered)
			return fp;
		if (!is_stdin)
			fclose(fp);
		return remember_copy(ordered, UTF16_NONE, true);
	}
	{
		/* a pipe: what was read to look at is given back first */
		struct prefixed *p = xcalloc(1, sizeof(*p));
		cookie_io_functions_t io = { .read = prefixed_read, .close = prefixed_close };
		FILE *in = fp, *ordered = NULL;

		p->head = xmalloc(n ? n : 1);
		memcpy(p->head, head, n);
		p->n = n;
		if (reorder)
			probe_pipe(in, &p->head, &p->n, &ordered);
		if (ordered) {
			if (!is_stdin)
				fclose(in);
			free(p->head);
			free(p);
			return remember_copy(ordered, UTF16_NONE, true);
		}
		p->in = in;
		p->own = !is_stdin;
		fp = fopencookie(p, "rb", io);
		if (!fp) {
			err_set(err, ERR_IO, &(struct loc){ path, 0, 0 }, "%s", strerror(errno));
			if (!is_stdin)
				fclose(in);
			free(p);
		}
		return fp;
	}
}

/*
 * Reading lines again (--raw, redact): a pipe or standard input is copied to a
 * temporary file first. Returns the stream to read, or NULL with err set.
 */
FILE *
cli_seekable(FILE *fp, const char *name, struct err *err)
{
	struct stat st;
	FILE *tmp;
	char buf[65536];
	size_t n;

	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
		return fp;
	tmp = tmpfile();
	if (!tmp) {
		err_set(err, ERR_IO, &(struct loc){ name, 0, 0 },
			"cannot create a temporary copy: %s", strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n) {
			err_set(err, ERR_IO, &(struct loc){ name, 0, 0 },
				"cannot write the temporary copy: %s", strerror(errno));
			fclose(tmp);
			return NULL;
		}
	}
	if (ferror(fp)) {
		err_set(err, ERR_IO, &(struct loc){ name, 0, 0 }, "%s", strerror(errno));
		fclose(tmp);
		return NULL;
	}
	if (fflush(tmp) != 0 || fseek(tmp, 0, SEEK_SET) != 0) {
		err_set(err, ERR_IO, &(struct loc){ name, 0, 0 },
			"cannot read the temporary copy: %s", strerror(errno));
		fclose(tmp);
		return NULL;
	}
	return tmp;
}

bool
cli_client_log(const struct grammar *g, const char *path)
{
	struct stat st;

	if (!strcmp(path, "-") || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	return recon_file_dialect(g, path) == GRAM_DIALECT_DART;
}

/* ---- what reading an input repaired ---- */

void
cli_report_input(const char *name, FILE *fp, const struct lex_stats *ls)
{
	const struct transcoded *t;

	for (t = transcoded; t; t = t->next)
		if (t->fp == fp && t->reversed)
			fprintf(stderr,
				"ikescope: %s: its timestamps run backwards (pasted newest line "
				"first): read in time order, and line numbers count in that "
				"order\n",
				name);
		else if (t->fp == fp)
			fprintf(stderr, "ikescope: %s: UTF-16%s text, read as UTF-8\n", name,
				t->kind == UTF16_LE ? "LE" : "BE");
	/* more than 1 byte in 20 NUL or control codes: no text log looks like that */
	if (ls->bytes && ls->control_bytes * 20 > ls->bytes)
		fprintf(stderr,
			"ikescope: %s: looks like binary data, not a log (%llu of its %llu bytes "
			"are NUL or control codes); read as text anyway\n",
			name, (unsigned long long)ls->control_bytes, (unsigned long long)ls->bytes);
	if (ls->truncated_lines)
		fprintf(stderr,
			"ikescope: %s:%u: a line longer than %u MiB was cut there (%llu line%s cut "
			"in all)\n",
			name, (unsigned)ls->first_truncated_line,
			(unsigned)(LEX_DEFAULT_MAX_LINE >> 20),
			(unsigned long long)ls->truncated_lines,
			ls->truncated_lines == 1 ? "" : "s");
}

/* ---- directories given as inputs ---- */

#define MAX_DIR_DEPTH 8

static char **expanded;
static size_t nexpanded;

static void
forget_expanded(void)
{
	while (nexpanded)
		free(expanded[--nexpanded]);
	free(expanded);
	expanded = NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the regular files under dir (hidden ones left out), in name order. */
static void
add_dir(const char *dir, int depth, char ***list, size_t *n)
{
	DIR *d = depth <= MAX_DIR_DEPTH ? opendir(dir) : NULL;
	char **names = NULL;
	size_t count = 0, i;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xreallocarray(names, count + 1, sizeof(*names));
		names[count] = xmalloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[count], "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			e->d_name);
		count++;
	}
	closedir(d);
	if (count)
		qsort(names, count, sizeof(*names), by_name);
	for (i = 0; i < count; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			add_dir(names[i], depth + 1, list, n);
			free(names[i]);
		} else if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			*list = xreallocarray(*list, *n + 1, sizeof(**list));
			(*list)[(*n)++] = names[i];
		} else {
			free(names[i]);
		}
	}
	free(names);
}

bool
cli_stdin_piped(void)
{
	struct stat st;

	if (isatty(STDIN_FILENO) || fstat(STDIN_FILENO, &st) != 0)
		return false;
	/* a terminal types, /dev/null and other devices hold no log */
	return S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode);
}

bool
cli_default_stdin(int *argc, char ***argv, int first)
{
	static char **with_stdin; /* reachable until exit */
	int i;

	if (first < *argc || !cli_stdin_piped())
		return first < *argc;
	free(with_stdin);
	with_stdin = xcalloc((size_t)*argc + 2, sizeof(*with_stdin));
	for (i = 0; i < *argc; i++)
		with_stdin[i] = (*argv)[i];
	with_stdin[i++] = (char *)"-";
	with_stdin[i] = NULL;
	*argc = i;
	*argv = with_stdin;
	return true;
}

void
cli_expand_inputs(int *argc, char ***argv, int first)
{
	char **out = NULL;
	size_t n = 0;
	int i;
	bool any = false;

	for (i = first; i < *argc; i++) {
		struct stat st;

		if (strcmp((*argv)[i], "-") && stat((*argv)[i], &st) == 0 && S_ISDIR(st.st_mode))
			any = true;
	}
	if (!any)
		return;
	if (!expanded)
		atexit(forget_expanded);
	for (i = 0; i < *argc; i++) {
		struct stat st;
		size_t before = n;

		if (i >= first && strcmp((*argv)[i], "-") && stat((*argv)[i], &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			size_t k;

			add_dir((*argv)[i], 0, &out, &n);
			/* the names are freed at exit */
			for (k = before; k < n; k++) {
				expanded =
					xreallocarray(expanded, nexpanded + 1, sizeof(*expanded));
				expanded[nexpanded++] = out[k];
			}
		}
		/* an empty directory stays, and is said to be one when opened */
		if (n == before) {
			out = xreallocarray(out, n + 1, sizeof(*out));
			out[n++] = (*argv)[i];
		}
	}
	out = xreallocarray(out, n + 1, sizeof(*out));
	out[n] = NULL;
	/* the array itself is freed with the names, at exit */
	expanded = xreallocarray(expanded, nexpanded + 1, sizeof(*expanded));
	expanded[nexpanded++] = (char *)out;
	*argc = (int)n;
	*argv = out;
}

void
cli_dialect_line(struct strbuf *out, const struct grammar *g, unsigned d)
{
	if (grammar_only_dialect(g) < GRAM_DIALECT_COUNT)
		sb_addf(out, "  dialect: %s (--dialect)\n",
			gram_dialect_name(grammar_only_dialect(g)));
	else if (d < GRAM_DIALECT_COUNT)
		sb_addf(out, "  dialect: %s\n", gram_dialect_name((enum gram_dialect)d));
	else
		sb_adds(out, "  dialect: none of the known ones\n");
}

bool
cli_pipe_wanted(const char *const *paths, size_t n, enum recon_pipe_match *side)
{
	const char *env = getenv("IKESCOPE_THREADS");
	unsigned long long bytes = 0;
	size_t i;

	*side = RECON_MATCH_BALANCED;
	if (env && !strcmp(env, "0"))
		return false;
	if (env && !strcmp(env, "lexer"))
		*side = RECON_MATCH_LEXER;
	if (env && !strcmp(env, "reader"))
		*side = RECON_MATCH_READER;
	if (env && (!strcmp(env, "1") || *side != RECON_MATCH_BALANCED))
		return true;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return false;
	for (i = 0; i < n; i++) {
		struct stat st;

		if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			bytes += (unsigned long long)st.st_size;
	}
	return bytes >= PIPE_MIN_BYTES;
}
