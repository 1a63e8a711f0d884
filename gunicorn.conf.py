"""gunicorn settings for `make serve`, from the environment (README, "Deployment").

HOST and PORT: where to listen (127.0.0.1:8000; 0.0.0.0 to take traffic from a proxy on
another machine). WEB_CONCURRENCY: worker processes (2 per core + 1). Sessions, lockouts and
rate limits are in the database and a worker keeps no cache of pages (README: "Insights
speed"), so any number of workers, on any number of machines, can serve one PostgreSQL
database.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
# A killed or stuck worker is replaced; a slow CSV export still gets time to finish.
timeout = 60
graceful_timeout = 30
accesslog = "-"
# Client, request line, status, bytes, milliseconds: what the load test and an operator need.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# Access and error logs write /s/[token] for a shared link's address: a token in a log would
# open someone's journal.
logger_class = "kindjournal.sharing.gunicorn_log.RedactingLogger"
# Unused, and two servers on one machine (make serve beside make load) would share its path.
control_socket_disable = True
