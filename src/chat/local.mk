## src/chat/local.mk: one chat turn: conversations, follow-ups, retrieval,
## the answerers (reached through their descriptors) and citations.
src_libquire_la_SOURCES += \
	src/chat/chat.c src/chat/chat.h src/chat/chat_terms.c src/chat/chat_store.c \
	src/chat/answer.c src/chat/answerers.c \
	src/chat/answer_builtin.c src/chat/answer_openai.c
