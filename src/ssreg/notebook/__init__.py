"""Layer 8, notebooks: DataFrames, plots and scenarios over priced claims.

pandas frames of results and pricing a frame (``frames``), matplotlib plots (``plots``),
the same claims under several covers, overrides or years (``scenarios``).  pandas and
matplotlib are imported only when one of these is called.

May import: :mod:`ssreg.output` and every layer below.  Internal.
"""
