#ifndef IKESCOPE_UTIL_LINEINDEX_H
#define IKESCOPE_UTIL_LINEINDEX_H

/*
 * Finding the original lines of an input again without keeping them: a
 * sparse index of (line, byte offset) checkpoints, noted while the input is
 * read, and positioned reads (pread) from the nearest checkpoint. Memory is
 * one checkpoint per LINEINDEX_STEP lines; the file position of the reader
 * that notes the checkpoints is not disturbed.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEINDEX_STEP    512u
#define LINEINDEX_MAX_LEN 4096u /* bytes shown of one line; longer lines are cut */

struct line_index {
	int fd;
	uint32_t *line;
	uint64_t *offset;
	size_t n, cap;
};

/* Called for each line: its number, its bytes (no newline, no CR), and if it was cut. */
typedef void (*line_fn)(void *ctx, uint32_t line, const char *p, size_t n, bool cut);

void line_index_init(struct line_index *li, int fd);
void line_index_free(struct line_index *li);
/* Notes that line starts at offset; cheap for lines between checkpoints. */
void line_index_note(struct line_index *li, uint32_t line, uint64_t offset);
/*
 * Calls fn for lines first..last (at most max_lines of them); returns the
 * number of lines read, which is less than asked at the end of the file or on
 * a read error.
 */
uint32_t line_index_read(const struct line_index *li, uint32_t first, uint32_t last,
			 uint32_t max_lines, line_fn fn, void *ctx);

#endif
