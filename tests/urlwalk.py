"""Walking the URLconf: every pattern, a URL that reaches it, and who may see what.

The coverage kinds (`public`, `login_required`, `owned`, `per_person`, `capability`,
`staff_only`) are what
tests/url_registry.py's REGISTRY maps URL names to; tests/test_url_walk.py, the security tests
and the browser tour of every page read them.
"""

import datetime
import itertools
import re
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLResolver, get_resolver, resolve
from django.urls.converters import UUIDConverter
from django.urls.resolvers import RoutePattern
from django.utils.regex_helper import normalize

# Filled into URL parameters that no registry entry supplies. Only staff-only and public URLs
# rely on them: every owned object is created for the test.
SAMPLE_DAY = datetime.date(2024, 3, 1)
SAMPLES = ["1", "auth", "sample"]
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Coverage:
    """How the URL-walk tests treat a URL; made by the functions below."""

    kind: str
    make: object = None  # owner -> URL kwargs, creating the owner's data the URL points at
    kwargs: dict = field(default_factory=dict)


def public(**kwargs):
    """Open to anyone: the landing page, log-in, sign-up, password reset."""
    return Coverage("public", kwargs=kwargs)


def login_required(**kwargs):
    """Only for a logged-in person, acting on their own account (no object in the URL)."""
    return Coverage("login_required", kwargs=kwargs)


def owned(make):
    """A URL naming one stored object: `make(owner)` creates the owner's object and returns
    the URL's kwargs. A stranger must get 404 for GET and POST, and nothing may change."""
    return Coverage("owned", make=make)


def per_person(make):
    """A URL naming no object but shown for whoever asks (a day by its date): `make(owner)`
    creates the owner's data behind it. A stranger sees and changes only their own."""
    return Coverage("per_person", make=make)


def capability(make):
    """A URL whose secret token is the only key (a shared link): no log-in, the owner's data
    for whoever holds the exact token, and the same 404 for any other token. `make(owner)`
    creates what the token opens and returns the URL's kwargs."""
    return Coverage("capability", make=make)


def staff_only(**kwargs):
    """Django's admin: staff only, everyone else is sent to the admin's log-in."""
    return Coverage("staff_only", kwargs=kwargs)


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route itself for an unnamed pattern
    namespace: str
    route: str
    pieces: tuple  # the pattern objects from the root down

    @property
    def parameters(self):
        """{name: converter or None (regex group)} over every level of the route."""
        found = {}
        for piece in self.pieces:
            if isinstance(piece, RoutePattern):
                found.update(piece.converters)
            else:
                found.update(dict.fromkeys(piece.regex.groupindex))
        return found

    def url(self, **kwargs):
        """A URL that resolves to this pattern, with `kwargs` and samples for the rest."""
        missing = [name for name in self.parameters if name not in kwargs]
        for values in itertools.product(SAMPLES, repeat=len(missing)):
            candidate = "/" + "".join(
                _fill(piece, {**dict(zip(missing, values, strict=True)), **kwargs})
                for piece in self.pieces
            )
            if _reaches(candidate, self.route):
                return candidate
        raise AssertionError(f"no URL found for {self.key} ({self.route}) with {kwargs}")


def all_patterns():
    """Every URL pattern in the URLconf, includes followed, in resolution order."""
    return list(_walk(get_resolver().url_patterns, (), ""))


def _walk(patterns, pieces, namespace):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _walk(entry.url_patterns, (*pieces, entry.pattern), inner)
            continue
        route = "".join(str(piece) for piece in (*pieces, entry.pattern))
        key = f"{namespace}:{entry.name}" if namespace else entry.name
        yield Pattern(key if entry.name else route, namespace, route, (*pieces, entry.pattern))


def _fill(piece, kwargs):
    if isinstance(piece, RoutePattern):
        return ROUTE_PARAMETER.sub(
            lambda match: piece.converters[match["name"]].to_url(
                _sample(piece.converters[match["name"]], kwargs[match["name"]])
            ),
            str(piece),
        )
    template, _ = normalize(piece.regex.pattern)[0]
    return template % kwargs


def _sample(converter, value):
    if converter.__class__.__name__ == "IsoDateConverter" and value in SAMPLES:
        return SAMPLE_DAY
    if isinstance(converter, UUIDConverter) and value in SAMPLES:
        return uuid.UUID(int=1)
    return value


def _reaches(url, route):
    try:
        # Django drops a regex's leading ^ from ResolverMatch.route.
        return resolve(url).route == route.replace("^", "")
    except Exception:  # noqa: BLE001 - a sample that does not resolve just tries the next one
        return False


def rows_of(user):
    """Everything stored for `user`: their account and each row that points at it."""
    user_model = get_user_model()
    rows = {"account": list(user_model.objects.filter(pk=user.pk).values())}
    for model in apps.get_models():
        for model_field in model._meta.fields:
            if model_field.is_relation and model_field.related_model is user_model:
                rows[f"{model._meta.label}.{model_field.name}"] = list(
                    model.objects.filter(**{model_field.name: user}).order_by("pk").values()
                )
    return rows


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")
