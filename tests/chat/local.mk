## tests/chat/local.mk: DocBit's chat API (docbit_chat.c, chat*.c, answer_*.c,
## ratelimit.c): unit programs, the CGI binary, lighttpd and Apache, the
## seed's JavaScript under Node, the openai answerer against a local server.
CHAT_UNIT_TESTS = tests/chat/test_ratelimit tests/chat/test_answer
check_PROGRAMS += $(CHAT_UNIT_TESTS)
tests_chat_test_ratelimit_SOURCES = tests/chat/test_ratelimit.c
tests_chat_test_ratelimit_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/src $(JANSSON_CFLAGS)
tests_chat_test_ratelimit_LDADD = src/libquire.la
tests_chat_test_answer_SOURCES = tests/chat/test_answer.c
tests_chat_test_answer_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests -I$(top_srcdir)/src $(JANSSON_CFLAGS)
tests_chat_test_answer_LDADD = src/libquire.la
CHAT_TESTS = tests/chat/cgi.test tests/chat/openai.test tests/chat/front.test \
	tests/chat/stream.test tests/chat/seed-js.test tests/chat/lang.test \
	tests/chat/seed-example.test tests/chat/httpoxy.test
TESTS += $(CHAT_UNIT_TESTS) $(CHAT_TESTS)
EXTRA_DIST += $(CHAT_TESTS) tests/chat/chat-lib.sh tests/chat/fake_chat.py \
	tests/chat/sse_client.py tests/chat/seed/stream-chat.mjs \
	tests/chat/seed/handbook.md
# the time-to-first-token benchmark runs with `make bench`
BENCH_SH += tests/bench/chat-first-token.sh
