"""API tokens that expire: TOKEN_TTL after their last use (sliding), and revoked when the password changes.

The last use is kept in DRF's `Token.created`, moved forward on use, so no table of our own is needed. It is
moved only once the token is older than a tenth of the TTL, so a busy script does not write on every request;
the expiry is therefore exact to within that tenth.
"""

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from ..models import User
from ..precompiled import Precompiled

REFRESH_AFTER_FRACTION = 10  # refresh once older than TTL / this

EXPIRED_MESSAGE = "The token has expired: get a new one with POST /api/v1/auth/token/."


def token_is_expired(token: Token) -> bool:
    return token.created + settings.TOKEN_TTL <= timezone.now()


def token_touch(token: Token) -> None:
    """Record a use of the token, at most once per tenth of the TTL."""
    now = timezone.now()
    if now - token.created > settings.TOKEN_TTL / REFRESH_AFTER_FRACTION:
        Token.objects.filter(pk=token.pk).update(created=now)
        token.created = now


def token_for(user: User) -> Token:
    """The user's token, a new one if theirs has expired; asking for it counts as a use."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_is_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    token_touch(token)
    return token


# Every API request reads its token and user: compiled once (annotations.precompiled).
_tokens_with_user = Precompiled(lambda key: Token.objects.select_related("user").filter(key=key), "\x00stand-in key")


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        found = _tokens_with_user(key)
        if not found:
            raise AuthenticationFailed(_("Invalid token."))  # DRF's messages, as its own check gives them
        token = found[0]
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        if token_is_expired(token):
            raise AuthenticationFailed(EXPIRED_MESSAGE)
        token_touch(token)
        return user, token


@receiver(pre_save, sender=User, dispatch_uid="revoke_tokens_on_password_change")
def revoke_tokens_on_password_change(sender, instance: User, update_fields=None, raw=False, **kwargs):
    """A new password ends every API session of the old one: the user's token is deleted, whichever way the
    password was changed (password-change page, admin, createuser --update, the shell)."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()
