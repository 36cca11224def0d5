"""A student's journey, event by event: what the library says at each stage.

Run:  python examples/student_journey.py [--lang fr|es]

Ana, Brazilian, arrives in Paris for the 2026-2027 academic year.  She creates her
account on the student site, uploads her documents (one is rejected and replaced), gets
her provisional certificate and number, gives it to her university, gets her final
certificate, opens her ameli account, orders and receives her carte Vitale, and declares
a médecin traitant.  At each step the script prints the stage and what to do next; it
also shows an event refused because it comes too early, with the reason and its sources.
"""

from __future__ import annotations

import argparse

import ssreg


STUDENT = {"birth_date": "2004-03-01", "nationality": "BR", "country_of_birth": "BR",
           "address_in_france": "12 rue des Écoles, 75005 Paris", "stay_months": 10,
           "enrolled_in_french_institution": True, "previously_affiliated": False,
           "salaried": False, "andorran_insured": False, "quebec_form": "none"}
PASSPORT = {"kind": "passport", "status": "uploaded", "expires": "2031-05-01"}
JOURNEY = [
    {"type": "account_created", "date": "2026-08-25"},
    {"type": "document_uploaded", "date": "2026-08-25", "document": PASSPORT},
    {"type": "document_uploaded", "date": "2026-08-25",
     "document": {"kind": "vls_ts_validated", "status": "uploaded", "expires": "2027-09-30"}},
    {"type": "document_uploaded", "date": "2026-08-25",
     "document": {"kind": "enrolment_certificate", "status": "uploaded",
                  "academic_year": "2026-2027"}},
    {"type": "document_rejected", "date": "2026-08-28", "kind": "passport",
     "reason": "illegible scan"},
    {"type": "document_replaced", "date": "2026-08-29", "document": PASSPORT},
    {"type": "document_accepted", "date": "2026-09-01", "kind": "passport"},
    {"type": "document_accepted", "date": "2026-09-01", "kind": "vls_ts_validated"},
    {"type": "document_accepted", "date": "2026-09-01", "kind": "enrolment_certificate"},
    {"type": "provisional_certificate_issued", "date": "2026-09-02",
     "number": "704039912345655"},
    {"type": "certificate_uploaded_to_institution", "date": "2026-09-03"},
    {"type": "document_uploaded", "date": "2026-09-04",
     "document": {"kind": "birth_certificate_full", "status": "uploaded", "translated": True}},
    {"type": "document_uploaded", "date": "2026-09-04",
     "document": {"kind": "iban", "status": "uploaded",
                  "iban": "FR7630006000011234567890189"}},
    {"type": "document_accepted", "date": "2026-09-20", "kind": "birth_certificate_full"},
    {"type": "document_accepted", "date": "2026-09-20", "kind": "iban"},
    {"type": "final_certificate_issued", "date": "2026-10-15", "number": "204039912345614"},
    {"type": "ameli_account_created", "date": "2026-10-16"},
    {"type": "carte_vitale_ordered", "date": "2026-10-16", "photo": True, "id_document": True},
    {"type": "carte_vitale_received", "date": "2026-10-30"},
    {"type": "referent_doctor_declared", "date": "2026-11-05"},
]
TOO_EARLY = {"type": "carte_vitale_ordered", "date": "2026-08-26", "photo": True,
             "id_document": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", choices=("en", "fr", "es"))
    args = parser.parse_args()

    dossier = ssreg.Dossier(id="ana-2026",
                            case={"student": STUDENT, "academic_year": "2026-2027"})
    for index, event in enumerate(JOURNEY):
        dossier = ssreg.apply_event(dossier, event)
        flow = ssreg.evaluate(dossier, on=event["date"]).workflow
        assert flow is not None
        steps = ", ".join(step.step for step in flow.next_steps) or "nothing"
        print(f"{event['date']}  {event['type']:<36} -> {flow.stage:<24} next: {steps}")
        if index == 0:  # an event that comes too early is refused, with its reasons
            try:
                ssreg.apply_event(dossier, TOO_EARLY)
            except ssreg.EventRefused as refused:  # why, in the language chosen
                print(f"            refused: {refused.text(args.lang)}")

    decision = ssreg.evaluate(dossier, on="2026-11-05")
    print()
    print(decision.summary(args.lang))


if __name__ == "__main__":
    main()
