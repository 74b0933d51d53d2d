## tests/api/local.mk

## --- supervisor and kill tests (quired, fault points) -----------------------
SUPERVISOR_TESTS = tests/api/supervisor.test tests/api/kill.test
TESTS += $(SUPERVISOR_TESTS)
EXTRA_DIST += $(SUPERVISOR_TESTS) tests/api/killload.py
## --- end of the supervisor and kill tests ------------------------------------
