"""The HTTP API (``ssreg serve``): evaluate, ask what is not known, apply events, price
claims, read the rules.

An extra (``pip install 'ssreg[api]'``: Starlette on uvicorn), imported only by
``ssreg serve`` or by whoever imports :mod:`ssreg.api`; ``import ssreg`` never loads it.
The app is :func:`ssreg.api.app.create_app`, the server :func:`ssreg.api.server.serve`;
docs/api.md shows every endpoint with curl.
"""
