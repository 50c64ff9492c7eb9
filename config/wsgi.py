import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load every view module now rather than on the first request, then move everything loaded so
# far (modules, classes, URL patterns: ~130,000 objects that live as long as the process) out
# of the cyclic garbage collector's sight. Without this, each full collection walks them all:
# ~100 ms during which the worker answers nobody, seen as the p99 of every benchmarked page
# (docs/benchmarks.md, "Findings (2026-12-03 night)"). Frozen objects are still freed by
# reference counting; only cycles among them would stay, and these live for good anyway.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.collect()
gc.freeze()
