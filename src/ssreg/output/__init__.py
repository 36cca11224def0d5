"""Layer 7, output: what people and programs read.

Interface texts and Babel formatting (``i18n``), the labelled JSON forms (``labels``),
summaries, explanations and HTML (``text``), JSON Schemas (``schema``), the rule catalogue
(``catalogue``) and the journey diagrams (``diagram``).

May import: :mod:`ssreg.registration`, :mod:`ssreg.pricing` and every layer below.
Internal.
"""
