"""Layer 6, registration: a case or a dossier on a date, decided and explained.

The document checklist (``documents``), the student's journey replayed from a dossier's
history (``workflow``), the Decision (``decision``) and ``evaluate`` / ``apply_event``
(``evaluate``), which also prices a case's claims.

May import: :mod:`ssreg.pricing` and every layer below it (engines, rulebook, fr, model,
exceptions); the Decision's JSON and texts are reached through :mod:`ssreg._seam`.
Internal.
"""
