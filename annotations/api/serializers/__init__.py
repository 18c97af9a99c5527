"""Input and output shapes of the API. Thin: parsing and presenting only; the rules are in services.

One module a subject (each module's __all__ says what it offers); views import from the package."""

from .codebook import *  # noqa: F403
from .fields import *  # noqa: F403
from .items import *  # noqa: F403
from .papers import *  # noqa: F403
from .uploads import *  # noqa: F403
