from django.db import models


class OwnedQuerySet(models.QuerySet):
    """Every query of a person's rows starts here: a person only ever reaches their own.

    The base of the journal's querysets and of every feature's table that belongs to a person.
    """

    def for_user(self, user):
        return self.filter(user=user)
