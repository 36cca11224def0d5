"""Layer 3, the rulebook: rules as data, read, checked and made immutable.

The value classes (``rulebook``), the condition language (``conditions``), reading TOML
files and overlays (``loader``, with the parsed-file ``cache``), the loader's checks
(``checks``, ``checkdocs``, sharing ``collect``), derived facts and dated parameters
(``facts``) and the checks of an input against a rulebook on a date (``inputs``).  The
rule files themselves are data in ``ssreg/rules/``.

May import: :mod:`ssreg.model`, :mod:`ssreg.exceptions`.  Internal.
"""
