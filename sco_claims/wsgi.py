"""WSGI entry point (gunicorn sco_claims.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_claims.settings")

application = get_wsgi_application()
