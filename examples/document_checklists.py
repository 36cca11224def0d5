"""Document checklists for three contrasting students, checked on the same date."""

import ssreg


ON = "2026-09-15"
# the facts the route and the checklist depend on, stated
STATED = {"stay_months": 10, "enrolled_in_french_institution": True,
          "previously_affiliated": False, "salaried": False, "andorran_insured": False,
          "quebec_form": "none"}
cases = {
    "Ana, Brazilian, 22: last year's enrolment certificate, untranslated birth certificate": {
        "student": {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
                    "address_in_france": "Paris", **STATED},
        "documents": [
            {"kind": "passport", "status": "uploaded", "expires": "2031-05-01"},
            {"kind": "vls_ts_validated", "status": "accepted", "expires": "2027-09-30"},
            {"kind": "birth_certificate_full", "status": "uploaded", "language": "pt"},
            {"kind": "enrolment_certificate", "status": "uploaded", "academic_year": "2025-2026"},
            {"kind": "iban", "iban": "FR14 2004 1010 0505 0001 3M02 606"},
        ],
    },
    "Lukas, German, no EHIC: resources below the monthly minimum": {
        "student": {"birth_date": "2005-01-20", "nationality": "DE", "country_of_birth": "DE",
                    "address_in_france": "Strasbourg", "ehic_expiry": "none",
                    "has_s1": False, **STATED},
        "documents": [
            {"kind": "national_id_card", "expires": "2030-01-01"},
            {"kind": "proof_of_resources", "monthly_amount": "600"},
            {"kind": "iban", "iban": "DE89 3704 0044 0532 0130 00"},
        ],
    },
    "Mei, Chinese, 15: needs a parental authorisation": {
        "student": {"birth_date": "2011-05-05", "nationality": "CN", "country_of_birth": "CN",
                    "address_in_france": "Lyon", **STATED},
        "documents": [{"kind": "passport", "expires": "2029-01-01"}],
    },
}

for title, case in cases.items():
    decision = ssreg.evaluate(case, on=ON)
    checklist = decision.checklist
    print(f"== {title}")
    print(f"complete: {checklist.complete}, holds up: {checklist.blocked_step}")
    for item in checklist.items:
        print(f"  {item.requirement:<22} {item.status}")

print()
print(ssreg.evaluate(cases["Mei, Chinese, 15: needs a parental authorisation"], on=ON)
      .checklist_text("fr"))
