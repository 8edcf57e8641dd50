"""gunicorn's settings for the site; gunicorn reads this file from its working directory (the
Dockerfile's, docker-compose's and `make load`'s)."""


def post_worker_init(worker):
    """Load the lemmatiser's Finnish and Swedish dictionaries (about 7 s of CPU and 500 MB)
    before the worker takes requests: otherwise each new worker's first text search or record
    save waits for them."""
    from pankki import textsearch

    for language in ("fi", "sv"):
        textsearch.lexemes("kokemus", language)
