"""Two limits on wrong passwords (django-axes): per (username, address) pair, and per address across usernames.

axes compares the largest count over its lockout parameters with one limit; here the address's count is scaled
so that it reaches that limit at its own, higher one (LOGIN_FAILURE_LIMIT_PER_ADDRESS). Spraying one guess over
many usernames from one address is then stopped too, while a shared office address is not locked by a few
colleagues' typos.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"], in that order."""

    def get_failures(self, request, credentials=None) -> int:
        pair_attempts, address_attempts = self.get_user_attempts(request, credentials)
        pair, address = _failures(pair_attempts), _failures(address_attempts)
        limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
        scaled = address * limit // address_limit  # >= limit exactly when address >= address_limit
        request.axes_locked_by_address = scaled >= limit > pair
        return max(pair, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success resets its own pair only: otherwise a guesser could clear the address's count by logging in
        # to an account of their own between guesses.
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count
