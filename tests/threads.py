"""Real concurrency for tests: calls released together in threads, each with its own database
connection. Tests using it need `@pytest.mark.django_db(transaction=True)`, so that each
thread sees what the others commit."""

import threading

from django.db import connection


def at_once(*calls):
    """Run `calls` in threads released together; what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(number, call):
        try:
            start.wait(timeout=10)
            outcomes[number] = call()
        except Exception as error:  # noqa: BLE001 (the test looks at what was raised)
            outcomes[number] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def in_background(call, outcomes):
    """Start `call` in a thread with its own connection; what it returns or raises goes into
    `outcomes`. For tests that order steps themselves (at_once releases its calls together)."""

    def run():
        try:
            outcomes.append(call())
        except Exception as error:  # noqa: BLE001 (the test looks at what was raised)
            outcomes.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
