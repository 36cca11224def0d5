"""The ``ssreg`` command line, at the top: the parser and exit statuses (``main``), what
the commands read and write (``inputs``) and the commands (``commands``).

May import: every layer.  Internal: run it as ``ssreg`` or ``python -m ssreg``.
"""
