"""Layer 1, the model: what a user can send, converted and checked field by field.

Field kinds (``kinds``) and their declarations (``fields``), codes checked against CLDR
(``codes``), plain data to models and back (``structure``), the case models (``models``),
the dossier and its events (``dossier``), bounds on every input (``limits``) and reading
users' files (``files``).

May import: :mod:`ssreg.exceptions` only.  Internal: import the public names from
:mod:`ssreg`.
"""
