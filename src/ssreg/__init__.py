"""ssreg: French social-security registration and reimbursement rules for students.

Rules are data (dated, cited, trilingual TOML files); ``evaluate`` decides the route,
blocking conditions, required documents, the student's next steps and the
reimbursements for a case or a dossier on a date, and explains every conclusion with
its sources.

>>> import ssreg
>>> decision = ssreg.evaluate(
...     {"student": {"birth_date": "2005-01-20", "nationality": "DE",
...                  "country_of_birth": "DE", "ehic_expiry": "2027-12-31",
...                  "stay_months": 10, "enrolled_in_french_institution": True,
...                  "salaried": False}},
...     on="2026-10-01")
>>> decision.route
'no_registration'

A fact the case does not give is not guessed: what depends on it stays open, and the
Decision says what to ask.

>>> decision = ssreg.evaluate(
...     {"student": {"birth_date": "2005-01-20", "nationality": "DE",
...                  "country_of_birth": "DE", "stay_months": 10,
...                  "enrolled_in_french_institution": True,
...                  "previously_affiliated": False, "salaried": False,
...                  "andorran_insured": False}},
...     on="2026-10-01")
>>> decision.route, decision.open["route"], decision.questions[0].fact
(None, ('no_registration', 'online'), 'ehic_expiry')
"""

from ._version import __version__
from .exceptions import (
    EngineError,
    EngineUnavailable,
    EventRefused,
    InvalidCaseError,
    InvalidClaimError,
    InvalidDossierError,
    InvalidInputError,
    NoValueInForce,
    Problem,
    RulebookError,
    SsregError,
    WorkerError,
)
from .model.dossier import Dossier, Event, load_dossier
from .model.models import Case, Claim, Cover, Document, Student, load_cover
from .notebook.frames import price_frame, to_frame
from .notebook.plots import year_of_care
from .notebook.scenarios import Comparison, Scenario, compare
from .pricing.batch import Batch, BatchConsumed, price_claim, price_claims
from .pricing.results import ClaimError, ClaimResult
from .pricing.summary import Summary, rows, summarize
from .registration.decision import Decision
from .registration.evaluate import apply_event, evaluate
from .registration.partial import next_question, questions
from .registration.questions import Answer, Question
from .rulebook.loader import builtin_rules_dir, default_rulebook, load_rulebook
from .rulebook.rulebook import Rulebook


__all__ = [
    "Answer",
    "Batch",
    "BatchConsumed",
    "Case",
    "Claim",
    "ClaimError",
    "ClaimResult",
    "Comparison",
    "Cover",
    "Decision",
    "Document",
    "Dossier",
    "EngineError",
    "EngineUnavailable",
    "Event",
    "EventRefused",
    "InvalidCaseError",
    "InvalidClaimError",
    "InvalidDossierError",
    "InvalidInputError",
    "NoValueInForce",
    "Problem",
    "Question",
    "Rulebook",
    "RulebookError",
    "Scenario",
    "SsregError",
    "Student",
    "Summary",
    "WorkerError",
    "__version__",
    "apply_event",
    "builtin_rules_dir",
    "compare",
    "default_rulebook",
    "evaluate",
    "load_cover",
    "load_dossier",
    "load_rulebook",
    "next_question",
    "price_claim",
    "price_claims",
    "price_frame",
    "questions",
    "rows",
    "summarize",
    "to_frame",
    "year_of_care",
]
