## src/http/local.mk: the request layer: requests and responses, routing,
## authentication, error rendering per family, rate limits, multipart.
src_libquire_la_SOURCES += \
	src/http/http.c src/http/http.h \
	src/http/auth.c src/http/auth.h src/http/fileurl.c src/http/fileurl.h \
	src/http/app.c src/http/app.h src/http/router.c src/http/router.h src/http/errors.c src/http/errors.h \
	src/http/multipart.c src/http/multipart.h \
	src/http/ratelimit.c src/http/ratelimit.h \
	src/http/secret.c src/http/secret.h src/http/uptoken.c src/http/uptoken.h \
	src/http/html.c src/http/html.h
