/**
 * @file cdr_bench_sql.c  cdr-bench-sqlite / cdr-bench-sqlcipher: the same
 *                        call records in SQLite, for `make bench`
 *
 *   cdr-bench-sqlite DIR N wal|journal FULL
 *
 * One table, one row per call, every insert its own transaction with
 * synchronous=FULL, so each record is committed and synced like ours.
 * Linked against libsqlite3 or libsqlcipher (same API); under SQLCipher
 * the database is keyed.  Then a database of FULL records is reopened and
 * read, as "open a full store".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "test/unit/store_fixture.h"
#include "bench_util.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS cdr (seq INTEGER PRIMARY KEY,"
	" start_ms INTEGER, answer_ms INTEGER, end_ms INTEGER,"
	" duration_s INTEGER, dir INTEGER, result INTEGER, sip_status INTEGER,"
	" codec TEXT, local_uri TEXT, remote_uri TEXT, remote_name TEXT)";


static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "cdr-bench-sql: %s: %s\n", sql,
			msg ? msg : "?");
		sqlite3_free(msg);
		return 1;
	}

	return 0;
}


static int has_cipher(sqlite3 *db)
{
	sqlite3_stmt *q;
	int yes = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA cipher_version", -1, &q, NULL))
		return 0;
	yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);

	return yes;
}


static sqlite3 *open_db(const char *path, const char *mode, bool *cipher)
{
	char sql[128];
	sqlite3 *db;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		return NULL;

	/* a no-op pragma on plain SQLite */
	if (exec(db, "PRAGMA key = 'bench-key-not-secret'"))
		goto fail;
	*cipher = has_cipher(db);

	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = %s",
		 strcmp(mode, "wal") ? "DELETE" : "WAL");
	if (exec(db, sql) || exec(db, "PRAGMA synchronous = FULL") ||
	    exec(db, schema))
		goto fail;

	return db;

 fail:
	sqlite3_close(db);
	return NULL;
}


static int insert(sqlite3_stmt *ins, uint64_t serial)
{
	struct cdr_record r;
	int rc;

	fixture_record(serial, &r);
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, (sqlite3_int64)serial);
	sqlite3_bind_int64(ins, 2, r.start_ms);
	sqlite3_bind_int64(ins, 3, r.answer_ms);
	sqlite3_bind_int64(ins, 4, r.end_ms);
	sqlite3_bind_int(ins, 5, (int)r.duration_s);
	sqlite3_bind_int(ins, 6, r.dir);
	sqlite3_bind_int(ins, 7, r.result);
	sqlite3_bind_int(ins, 8, r.sip_status);
	sqlite3_bind_text(ins, 9, r.codec, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 10, r.local_uri, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 11, r.remote_uri, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 12, r.remote_name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(ins);

	return rc == SQLITE_DONE ? 0 : 1;
}


int main(int argc, char **argv)
{
	char path[4096], sql[4200];
	sqlite3_stmt *ins, *q;
	uint64_t n, full, w0, w1, count = 0;
	bool cipher = false;
	double t0, t1;
	sqlite3 *db;
	int err = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: %s DIR N wal|journal FULL\n", argv[0]);
		return 2;
	}
	n = strtoull(argv[2], NULL, 10);
	full = strtoull(argv[4], NULL, 10);

	snprintf(path, sizeof(path), "%s/cdr-%s.db", argv[1], argv[3]);
	unlink(path);
	snprintf(sql, sizeof(sql), "%s-wal", path);
	unlink(sql);

	db = open_db(path, argv[3], &cipher);
	if (!db ||
	    sqlite3_prepare_v2(db, "INSERT INTO cdr VALUES (?,?,?,?,?,?,?,?,"
			       "?,?,?,?)", -1, &ins, NULL))
		return 1;

	w0 = bench_write_bytes();
	t0 = bench_now();
	for (uint64_t s = 1; s <= n && !err; s++)
		err = insert(ins, s);
	t1 = bench_now();
	w1 = bench_write_bytes();
	if (err)
		return 1;

	printf("records_per_s %.0f rec/s\n", (double)n / (t1 - t0));
	printf("bytes_written_per_record %.0f bytes\n",
	       (double)(w1 - w0) / (double)n);

	/* the rest of a full store, in one transaction for speed */
	exec(db, "BEGIN");
	for (uint64_t s = n + 1; s <= full && !err; s++)
		err = insert(ins, s);
	exec(db, "COMMIT");
	sqlite3_finalize(ins);
	sqlite3_close(db);
	if (err)
		return 1;

	bench_drop_caches(path);
	t0 = bench_now();
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA key = 'bench-key-not-secret'") ||
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM cdr", -1, &q, NULL))
		return 1;
	if (sqlite3_step(q) == SQLITE_ROW)
		count = (uint64_t)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	t1 = bench_now();
	sqlite3_close(db);

	printf("open_full_ms %.1f ms\n", (t1 - t0) * 1000);
	printf("full_store_records %" PRIu64 " records\n", count);
	printf("peak_rss_kb %lu kB\n", bench_peak_rss_kb());
	fprintf(stderr, "%s, %s\n", cipher ? "SQLCipher" : "SQLite",
		sqlite3_libversion());

	unlink(path);
	snprintf(sql, sizeof(sql), "%s-wal", path);
	unlink(sql);
	snprintf(sql, sizeof(sql), "%s-shm", path);
	unlink(sql);

	return count == full ? 0 : 1;
}
