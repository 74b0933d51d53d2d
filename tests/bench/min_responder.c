/* min_responder.c: the smallest useful libfcgi responder, the yardstick
 * for tests/bench/fcgi-ratio.sh. It listens on a Unix socket, forks N
 * processes that accept on it, and answers every request with the same
 * 200-byte JSON document (no database, no routing, no JSON library).
 *   min_responder SOCKET [PROCESSES]
 * Runs until killed; the children die with their parent. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <fcgiapp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char body[201];

static void serve(int sock)
{
	FCGX_Request req;
	char head[160];
	FCGX_InitRequest(&req, sock, 0);
	int hlen = snprintf(head, sizeof head,
			    "Status: 200 OK\r\nContent-Type: application/json\r\n"
			    "Content-Length: %d\r\n\r\n", (int)strlen(body));
	while (FCGX_Accept_r(&req) >= 0) {
		FCGX_PutStr(head, hlen, req.out);
		FCGX_PutStr(body, (int)strlen(body), req.out);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: min_responder SOCKET [PROCESSES]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 2;
	/* Exactly 200 bytes of JSON. */
	const char *head = "{\"document\":{\"id\":\"00000000-0000-0000-0000-000000000000\","
			   "\"title\":\"benchmark\",\"tags\":[],\"is_global\":false,\"content\":\"";
	const char *tail = "\"}}";
	size_t fill = 200 - strlen(head) - strlen(tail);
	snprintf(body, sizeof body, "%s%.*s%s", head, (int)fill,
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		 tail);
	if (FCGX_Init() != 0)
		return 1;
	unlink(argv[1]);
	int sock = FCGX_OpenSocket(argv[1], 1024);
	if (sock < 0) {
		perror(argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			serve(sock);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
