#ifndef IKESCOPE_CLI_PRIVATE_H
#define IKESCOPE_CLI_PRIVATE_H

#include <stdbool.h>
#include <stdio.h>

#include "ikescope/reconstruct.h"
#include "ikescope/util/err.h"

/* Exit statuses, as diff(1): clean, findings/differences, trouble. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FINDINGS = 1,
	CLI_EXIT_TROUBLE = 2,
};

/* Global options, parsed before the command. */
struct cli {
	const char *grammars; /* --grammars DIR, or NULL for the built-in ones */
	const char *dialect;  /* --dialect NAME, or NULL: each input's own */
	const char *config;   /* --config FILE, or NULL */
	const char *profile;  /* --profile FILE (AnyConnect client profile), or NULL */
	bool stats;           /* --stats */
	bool show_secrets;    /* --show-secrets */
	const char *color;    /* --color=WHEN, or NULL */
	bool json;            /* --json, --compact or --jsonl */
	bool json_compact;    /* --compact: no indentation */
	bool json_lines;      /* --jsonl: one session object per line */
	bool verbose;         /* -v, --verbose */
	bool raw;             /* --raw */
};

struct grammar;

struct strbuf;

/*
 * Whether to lex on a thread of its own (recon_input_run_piped), and which
 * thread matches the records (side): with two processors or more and
 * inputs of PIPE_MIN_BYTES or more in all, the two in balance; the
 * environment's IKESCOPE_THREADS=0 or 1 says no or yes whatever the inputs,
 * =lexer or =reader yes, with the records matched on that side.
 */
#define PIPE_MIN_BYTES (8u << 20)
bool cli_pipe_wanted(const char *const *paths, size_t n, enum recon_pipe_match *side);

/*
 * The --stats line that names an input's dialect (d: GRAM_DIALECT_COUNT
 * when none was told), "(--dialect)" after it when the grammar is
 * restricted to it.
 */
void cli_dialect_line(struct strbuf *out, const struct grammar *g, unsigned d);
/* Loads the grammar named by the options; prints diagnostics to stderr. */
struct grammar *cli_load_grammar(const struct cli *cli, struct err *err);
/*
 * As cli_load_grammar(); with second, also another instance of it, loaded
 * on another thread meanwhile, in *g2 (NULL if it did not load).
 */
struct grammar *cli_load_grammars(const struct cli *cli, bool second, struct grammar **g2,
				  struct err *err);
/*
 * Opens an input: "-" is standard input; a directory or unreadable file
 * sets err. UTF-16 text (a byte order mark, or ASCII with every other byte
 * zero) is handed out as a temporary UTF-8 copy.
 */
FILE *cli_open_input(const char *path, struct err *err);
/*
 * cli_open_input() puts a log pasted newest line first (its timestamps run
 * backwards) in time order, through a temporary copy; this one keeps the
 * lines as they are (redact writes its copy line for line).
 */
FILE *cli_open_input_as_is(const char *path, struct err *err);
/* fp if it is a regular file, else a temporary copy of it (fp is not closed). */
FILE *cli_seekable(FILE *fp, const char *name, struct err *err);
struct grammar;
/*
 * True if path is a file whose lines are an AnyConnect client's (DART): its
 * sessions are joined to the device sessions of the other inputs.
 */
bool cli_client_log(const struct grammar *g, const char *path);
struct lex_stats;
/* Says on stderr what reading an input found: UTF-16, binary data, lines cut. */
void cli_report_input(const char *name, FILE *fp, const struct lex_stats *ls);
/*
 * Replaces each directory among (*argv)[first..] by the regular files under
 * it (hidden ones left out, subdirectories followed), in name order. The new
 * array lives until exit.
 */
void cli_expand_inputs(int *argc, char ***argv, int first);
/* True if standard input is a pipe, a socket or a regular file (not a terminal or a device). */
bool cli_stdin_piped(void);
/*
 * With no input named ((*argv)[first..] empty) and standard input piped,
 * makes "-" the one input. The new array lives until exit. True if there is
 * an input to read.
 */
bool cli_default_stdin(int *argc, char ***argv, int first);
/* Prints grammar diagnostics, one "ikescope: " line each, to stderr. */
void cli_print_diags(const struct strbuf *diags);

int cmd_diff(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_tui(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_timeline(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_sessions(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_verify(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_redact(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_lex(const struct cli *cli, int argc, char **argv, struct err *err);
int cmd_grammar(const struct cli *cli, int argc, char **argv, struct err *err);

#endif
