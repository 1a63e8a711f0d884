"""gunicorn's logger (gunicorn.conf.py `logger_class`) with shared links' tokens redacted from
both of its logs: the access log (the request line, the path, the query, any header) and the
error log ("Error handling request GET /s/...", an invalid request line, a traceback)."""

from gunicorn.glogging import Logger

from kindjournal.sharing.redact import RedactShareTokens

# One filter object: a logger keeps a filter once however often setup() runs (a reload).
_REDACT = RedactShareTokens()


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        # The access log's arguments are the format's atoms, a dict the filter rewrites too.
        for log in (self.error_log, self.access_log):
            log.addFilter(_REDACT)
