## tests/embed/embed.mk: the embedding pipeline (quire-embed, backends, API).
EMBED_TESTS = tests/embed/builtin.test tests/embed/openai.test tests/embed/seed-track.test \
	tests/embed/kill.test tests/embed/reembed.test tests/embed/openai-faults.test \
	tests/embed/states.test
TESTS += $(EMBED_TESTS)
EXTRA_DIST += $(EMBED_TESTS) tests/embed/embed-lib.sh tests/embed/fake_openai.py tests/embed/seed/track.mjs
