"""gunicorn's settings for Schoolzorg.

gunicorn reads this file by itself when started from this folder (`gunicorn config.wsgi`, as
`make run` and `make bench` do; its default is `./gunicorn.conf.py`); started elsewhere, pass
`--config /path/to/gunicorn.conf.py`. An option on the command line wins over this file.
"""

# The longest request line (method, address with its query, protocol) that gunicorn hands to
# Django: gunicorn's maximum, 8190 bytes (its default is 4094). Up to it Schoolzorg answers an
# address or a parameter that is too long itself: under /api/ as Dutch problem+json (a name to
# search for is at most 100 characters), elsewhere with its own Dutch pages. A longer line gets
# gunicorn's own English 414 page; a proxy in front should refuse such a line first
# (README, "In production").
limit_request_line = 8190

# The access log (when one is asked for, as `make run` does) names the address without its query
# and without the page a browser came from: a search is `/leerlingen/?naam=…`, so the full request
# line or referrer would put a child's name in a log outside the read log's protection and
# retention. Method, path, protocol, status, size, duration in microseconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(D)s'
