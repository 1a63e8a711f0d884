import os

# pytest-django's live_server and Playwright's sync API share the test thread's event loop;
# without this, ORM calls in browser tests raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
