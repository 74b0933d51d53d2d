## src/chat/local.mk: one chat turn: conversations, follow-ups, retrieval,
## the answerers (reached through their descriptors) and citations.
src_libquire_la_SOURCES += \
	src/chat/chat.c src/chat/chat.h src/chat/chat_terms.c src/chat/chat_terms.h src/chat/chat_store.c src/chat/chat_store.h \
	src/chat/answer.c src/chat/answer.h src/chat/answerers.c src/chat/answerers.h \
	src/chat/answer_builtin.c src/chat/answer_openai.c
