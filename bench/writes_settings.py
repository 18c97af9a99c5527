"""The writes bench's own settings: the app's, plus a bare DRF endpoint (bench/writes_urls.py) as its baseline.

Never used by the app: only the bench's gunicorn is started with DJANGO_SETTINGS_MODULE=bench.writes_settings.
"""

from sco_claims.settings import *  # noqa: F403

ROOT_URLCONF = "bench.writes_urls"
