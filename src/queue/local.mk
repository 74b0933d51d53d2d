## src/queue/local.mk: where jobs are claimed: leases, completion, failure,
## retry with backoff, and the wake-up of the processes that claim them.
src_libquire_la_SOURCES += src/queue/queue.c src/queue/queue.h
