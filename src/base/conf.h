/* conf.h: quire.conf, one "key = value" per line; every setting has an
 * embedded default, so Quire runs without any file. See etc/quire.conf. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CONF_H
#define QUIRE_CONF_H

#include <limits.h>
#include <stddef.h>
#include "base/status.h"

struct qconf {
	char datadir[PATH_MAX];    /* Berkeley DB environment lives in datadir/db */
	char socket[PATH_MAX];     /* FastCGI socket of the workers */
	char control[PATH_MAX];    /* control socket; "" = datadir/control.sock */
	char base_path[128];       /* sub-path Quire is mounted under, "/kb"; "" = none */
	char metrics_allow[256];   /* addresses that may read /metrics without a key */
	int workers;               /* FastCGI workers quired pre-forks */
	unsigned socket_mode;      /* octal, default 0660 */
	char socket_group[64];     /* group of the socket ("" = unchanged) */
	size_t max_body;           /* request body cap in bytes (413 above) */
	size_t max_json;           /* JSON body cap in bytes */
	int max_json_depth;        /* nesting cap of JSON bodies */
	int heartbeat_timeout;     /* seconds a worker may stay in one request */
	int restart_backoff_max;   /* seconds: cap of the wait between failing restarts */
	int checkpoint_interval;   /* seconds between checkpoints */
	int retry_after;           /* Retry-After seconds on 503 */
	int log_syslog;            /* 1: syslog, 0: stderr */
	int log_level;             /* syslog level, default LOG_INFO */
	int list_limit_max;        /* cap on ?limit= of list routes */
	char embed_backend[16];    /* "builtin" (default) or "openai" */
	char embed_model[128];     /* model name for the openai backend */
	int embed_batch;           /* jobs claimed per batch */
	int embed_max_attempts;    /* attempts before an embed job fails */
	int embed_lease;           /* seconds before a claimed job returns to pending */
	char embed_base_url[512];  /* OpenAI-compatible base URL, ".../v1" */
	char embed_api_key[256];   /* or $QUIRE_EMBED_API_KEY / $OPENAI_API_KEY */
	int embed_dimensions;      /* requested dimensions, 0 = the model's own */
	int embed_request_batch;   /* inputs per HTTP request */
	int embed_concurrency;     /* requests in flight */
	int embed_timeout;         /* seconds per request */
	int embed_max_input;       /* characters per input; longer ones are cut */
	double search_hybrid_weight; /* weight of vector scores in hybrid search */
	char search_hybrid_norm[8];  /* "zscore" (default) or "minmax": how fusion scales each side */
	double search_title_weight;  /* of a document title's terms, on every chunk */
	double search_section_weight; /* of a chunk's section path's terms */
	double search_compound_weight; /* of a compound of the query ("il-6") beside its parts */
	int search_spelling;           /* English query words in their other spellings too */
	double search_repeat_weight; /* what each repeat of a query word adds to its weight */
	double search_bm25_k1;       /* BM25's term frequency saturation */
	double search_bm25_b;        /* BM25's length normalisation */
	double search_doc_spread;    /* share of a chunk's keyword score from its document's chunks */
	int search_doc_candidates;   /* keyword candidates document-aware scores are taken over */
	double search_title_match;   /* of query words in a candidate's document title, read again */
	int search_title_match_depth; /* keyword candidates whose title is read */
	int search_title_match_hybrid_depth; /* in hybrid search, when deeper */
	int search_feedback_chunks;  /* best keyword chunks the hybrid vector query leans towards */
	double search_feedback_weight; /* their mean vector's weight beside the query's (unit vectors) */
	int search_prf_docs;         /* best keyword chunks whose words expand the query; 0 = none */
	int search_prf_terms;        /* words of those chunks added to the query */
	double search_prf_weight;    /* the added words' weight against the query's own */
	int search_prf_keep;         /* the question's own best hits kept first with feedback */
	double search_word_context;  /* weight of the query words' learned context vectors */
	int search_word_chunks;      /* chunks a query word's context vector is learned from */
	double search_word_context_idf; /* power of its idf a word's context is weighted by */
	int search_word_context_stored; /* 1: quire-embed stores each account's word contexts */
	double search_word_context_stale; /* share of chunks changed before they are recomputed */
	int search_word_context_stored_min; /* words in fewer chunks are learned at query time */
	int search_cache_mb;       /* vectors each worker holds in memory; 0 = read per query */
	int search_exact_max;      /* vectors scanned exactly; above, a binary prefilter */
	int search_ivf_lists;      /* inverted-file lists trained by reindex; 0 = about sqrt(vectors) */
	int search_ivf_probe;      /* inverted-file lists a query scans past search_exact_max; 0 = none */
	double search_ivf_probe_share; /* or at least this share of the lists */
	int search_ivf_rescore;    /* of those lists' vectors, scored with int8 by nearest code; 0 = all */
	int search_ivf_signs;      /* of those lists' vectors, ranked by code after a pass by sign bits; 0 = all */
	int search_ivf_train_interval; /* seconds between quire-embed's looks at the lists; 0 = never */
	double search_ivf_retrain_growth; /* vectors' growth since the last training that retrains */
	int search_postings_cache_mb; /* keyword postings each worker keeps in memory; 0 = none */
	int db_cache_mb;           /* Berkeley DB cache (shared by all processes), set at recovery */
	char db_region_memory[8];  /* "files" or "system" (System V segments, quired only) */
	int db_lock_timeout_ms;    /* longest wait for one lock (a long reader holds it) */
	int db_retry_ms;           /* how long a transaction that lost a lock conflict is rerun */
	int db_compact_step_mb;    /* quire-admin compact: megabytes of pages freed between checkpoints */
	int db_compact_interval;   /* seconds between automatic compactions (quire-embed, cron); 0 never */
	int disk_reserve_mb;       /* datadir/reserve, released so recovery runs on a full disk */
	int disk_min_free_mb;      /* below this, writes answer 507 and ingestion waits */
	int ingest_max_attempts;   /* a document that keeps crashing its parser fails */
	int ingest_lease;          /* seconds before another process takes an ingest job over */
	int ingest_processes;      /* ingest processes quired supervises */
	int ingest_account_concurrency; /* ingestions of one account at once (0 = no cap) */
	int ingest_account_lend;   /* past that cap when no other account has due work (text only) */
	int ingest_account_queue;  /* ingest jobs one account may have queued or running */
	int ingest_batch;          /* jobs of one account indexed in one transaction */
	int ingest_batch_ms;       /* a batch takes more jobs for this long */
	int job_flush_ms;          /* ingest/embed intermediate commits reach the disk within this; 0 = each at once */
	int job_gather_ms;         /* after a batch with room to spare, or a wake, wait this long before claiming */
	/* extraction (quire-extract, docs/extract-format.md) */
	int extract_timeout;       /* wall-clock seconds per file; the child's group is killed */
	int extract_concurrency;   /* quire-extract children at once, over all workers */
	int extract_memory_mb;     /* address-space limit of the child */
	int extract_cpu;           /* CPU seconds of the child */
	int extract_max_pages;     /* pages, slides, sheets */
	size_t extract_max_text;    /* bytes of text per document */
	size_t extract_max_pixels;    /* per image or rendered page */
	size_t upload_max;         /* bytes per uploaded file (whole multipart body) */
	int upload_max_parts;      /* parts per multipart body */
	int ocr_page_timeout;      /* seconds per OCR page */
	int ocr_budget;            /* OCR seconds per document; 0 = none */
	char extract_user[33];     /* quire-extract runs as this user when Quire runs as root */
	char extract_read_dirs[1024]; /* absolute directories, space-separated, the parser may
				       * read after init; "" = quire-extract's own list */
	int auth_fail_limit;       /* failed authentications per minute per client; 0 = off */
	char ocr_languages[64];    /* Tesseract languages, "eng" */
	/* chat (docs/chat.md) */
	char chat_answerer[16];    /* "builtin" (default) or "openai" */
	char chat_base_url[512];   /* OpenAI-compatible base URL, ".../v1" */
	char chat_model[128];      /* model of the openai answerer */
	char chat_api_key[256];    /* or $QUIRE_CHAT_API_KEY / $OPENAI_API_KEY */
	int chat_timeout_s;        /* seconds for a whole model answer */
	int chat_rate_limit;       /* chat requests per minute per key; 0 = off */
	int file_url_ttl;          /* seconds a signed file link stays valid */
	char file_url_secret[256]; /* HMAC key of file links; "" = DATADIR/file-url.key */
	/* form uploads (docs/form-upload.md) */
	char upload_token_secret[256]; /* HMAC key of upload tokens; "" = DATADIR/upload-token.key */
	int upload_token_max_ttl;  /* longest expires_in of an upload token, seconds */
	char form_redirect_allow[1024]; /* URL prefixes (space/comma separated) an upload
					 * token may send the browser to; "" = none */
	int chat_top_k;            /* chunks retrieved per question */
	int chat_history;          /* earlier messages sent to the model */
	size_t chat_max_message;   /* bytes of a question */
	/* CGI-only hosts (docs/shared-hosting.md) */
	char cgi_mode[16];         /* quire.cgi: "ondemand" (start quired), "relay"
				    * (only relay), "serial" (serve in the CGI) */
	int idle_exit;             /* seconds an on-demand quired stays idle before exiting */
	int lock_wait;             /* seconds a CGI or a lone tool waits for the data lock */
	int lock_queue;            /* processes that may wait for it at once */
	int cron_time;             /* seconds quire-admin cron works before it stops */
};

/* One setting of quire.conf, in the manner of nginx's ngx_command_t: its
 * name, how its value is read (set), where it goes in struct qconf, its
 * bounds and its default as quire.conf writes it. src/base/conf.c holds
 * the table; quire-admin config prints it. */
struct qsetting {
	const char *name;
	enum qstatus (*set)(const struct qsetting *s, void *dst, const char *v,
			    struct qerr *err);
	size_t offset, size;       /* of the field in struct qconf */
	long long min, max;        /* numbers: bounds; octal: max */
	const char *def;           /* the default, as written in quire.conf */
	const char *choices;       /* space-separated words the value must be one of */
	const char *(*check)(const char *v); /* strings: NULL if fine, else what is wrong */
	unsigned flags;
};
#define QS_CONFIGURED 1u           /* the default is configure's choice */

/* The table, in the order of etc/quire.conf; the setting named key or NULL. */
const struct qsetting *qconf_settings(size_t *n);
const struct qsetting *qconf_setting(const char *key);
/* The value of s in c as quire.conf would write it (sizes in bytes). */
void qconf_format(const struct qconf *c, const struct qsetting *s, char *out, size_t cap);

/* Path of the configuration: $QUIRE_CONF, else the compiled-in default. */
const char *qconf_path(void);
void qconf_defaults(struct qconf *c);
/* Read path over the current values of c. A missing file is fine when
 * must_exist is 0. Unknown keys and bad values are errors (err->field names
 * the key). */
enum qstatus qconf_load(struct qconf *c, const char *path, int must_exist,
			struct qerr *err);
/* Apply one "key", "value" pair (also used for QUIRE_* overrides). */
enum qstatus qconf_set(struct qconf *c, const char *key, const char *value,
		       struct qerr *err);
/* defaults + file (qconf_path) + environment overrides QUIRE_DATADIR and
 * QUIRE_SOCKET. */
enum qstatus qconf_load_default(struct qconf *c, struct qerr *err);
/* Settings that cannot work together, refused at start: an ingest lease
 * that may run out before quire-extract's deadline (plus its 5 s of
 * grace) would let a second process start on the same file. Q_EINVAL
 * with a message naming the settings. */
enum qstatus qconf_check(const struct qconf *c, struct qerr *err);
/* Path of file name inside the data directory; out has PATH_MAX bytes. */
void qconf_datapath(const struct qconf *c, const char *name, char *out);

/* 1 when the filesystem of the data directory has less than
 * disk_min_free_mb free (*free_mb says how much), else 0 (also when it
 * cannot be asked, or the setting is 0). Writes stop there, before the
 * storage meets ENOSPC in the middle of a transaction or a log file. */
int qconf_disk_low(const struct qconf *c, long long *free_mb);

#endif
