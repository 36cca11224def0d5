"""ssreg: French social-security registration and reimbursement rules for students.

Rules are data (dated, cited, trilingual TOML files); ``evaluate`` decides the route,
blocking conditions, required documents and reimbursements for a case on a date and
explains every conclusion with its sources.

>>> import ssreg
>>> decision = ssreg.evaluate(
...     {"student": {"birth_date": "2005-01-20", "nationality": "DE",
...                  "country_of_birth": "DE", "ehic_expiry": "2027-12-31"}},
...     on="2026-10-01")
>>> decision.route
'no_registration'
"""

from ._decision import Decision
from ._evaluate import evaluate
from ._model import Case, Claim, Cover, Document, Student, load_cover
from ._pricing import ClaimResult, price_claim, price_claims
from ._reports import Summary, rows, summarize
from ._rulebook import Rulebook, builtin_rules_dir, default_rulebook, load_rulebook
from ._version import __version__
from .exceptions import (
    EngineError,
    EngineUnavailable,
    InvalidCaseError,
    InvalidClaimError,
    NoValueInForce,
    Problem,
    RulebookError,
    SsregError,
)


__all__ = [
    "Case",
    "Claim",
    "ClaimResult",
    "Cover",
    "Decision",
    "Document",
    "EngineError",
    "EngineUnavailable",
    "InvalidCaseError",
    "InvalidClaimError",
    "NoValueInForce",
    "Problem",
    "Rulebook",
    "RulebookError",
    "SsregError",
    "Student",
    "Summary",
    "__version__",
    "builtin_rules_dir",
    "default_rulebook",
    "evaluate",
    "load_cover",
    "load_rulebook",
    "price_claim",
    "price_claims",
    "rows",
    "summarize",
]
