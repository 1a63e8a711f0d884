"""gunicorn's logger (gunicorn.conf.py `logger_class`) with shared links' tokens redacted from
every access-log field: the request line, the path, the query and any header."""

from gunicorn.glogging import Logger

from kindjournal.sharing.redact import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
