## src/base/local.mk: what every other folder stands on: status codes and
## errors, logging, configuration, buffers and clocks, fault points, the
## shared counters behind /metrics, locating Quire's own programs. Includes
## nothing of Quire's.
src_libquire_la_SOURCES += \
	src/base/status.c src/base/status.h \
	src/base/log.c src/base/log.h \
	src/base/util.c src/base/util.h \
	src/base/jsonscan.c src/base/jsonscan.h \
	src/base/seal.c src/base/seal.h \
	src/base/jsontext.c src/base/jsontext.h \
	src/base/conf.c src/base/conf.h \
	src/base/fault.c src/base/fault.h \
	src/base/spawn.c src/base/spawn.h \
	src/base/metrics.c src/base/metrics.h
