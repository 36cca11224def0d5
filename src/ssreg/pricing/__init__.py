"""Layer 5, pricing: what the Assurance Maladie pays, what a cover tops up, what is left.

Claim plans from the claim tables (``plans``), the pricer with caps per person
(``pricer``), batches in input order (``batch``), packed records for batches read whole
(``packed``), several processes (``processes``, ``pipeline``), the result of a claim
(``results``) and totals per group (``summary``).

May import: :mod:`ssreg.engines`, :mod:`ssreg.rulebook`, :mod:`ssreg.model`,
:mod:`ssreg.exceptions`; the methods that render results reach :mod:`ssreg.output` and
:mod:`ssreg.notebook` only through :mod:`ssreg._seam`.  Internal.
"""
