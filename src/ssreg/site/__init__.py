"""The explanation site and the catalogue: every rule, parameter, document kind, step,
event, route and source of a rulebook on its own page, in English, French and Spanish.

``ssreg site OUT/`` (or :func:`ssreg.site.build.build_site`) writes a static site that
needs no server: plain HTML that works without JavaScript (except the offline search),
inline SVG charts and journey diagrams, a small JSON search index.  ``ssreg catalogue``
prints the Markdown catalogue, a rendering of the same index
(:class:`~ssreg.site.reference.Reference`).  The HTML needs Jinja2 (the ``site`` extra:
``pip install 'ssreg[site]'``); ``import ssreg`` never imports this package.
"""
