"""The filters of `claims/` and `links/` for DRF's filter backend; defined with the selectors, where the exports
and the commands use them too."""

from ..selectors.filters import ClaimFilter, LinkFilter

__all__ = ["ClaimFilter", "LinkFilter"]
