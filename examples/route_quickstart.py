"""Which route does each student follow?  Explanations in three languages.

Every fact a route depends on is stated: a fact left out is not guessed (the route would
be open and the Decision would say what to ask; see the last lines).
"""

import ssreg


# what most students can say at once
STATED = {"stay_months": 10, "enrolled_in_french_institution": True,
          "previously_affiliated": False, "salaried": False, "andorran_insured": False,
          "quebec_form": "none"}
students = {
    "Ana (Brazil, first time)": {"birth_date": "2004-03-01", "nationality": "BR",
                                 "country_of_birth": "BR", "address_in_france": "Paris",
                                 **STATED},
    "Lukas (Germany, EHIC)": {"birth_date": "2005-01-20", "nationality": "DE",
                              "country_of_birth": "DE", "ehic_expiry": "2027-12-31", **STATED},
    "Yasmine (born in Lyon)": {"birth_date": "2003-07-14", "nationality": "MA",
                               "country_of_birth": "FR", **STATED},
    "Emma (3-month exchange)": {"birth_date": "2001-11-11", "nationality": "US",
                                "country_of_birth": "US", **STATED, "stay_months": 3},
    "Raj (no address yet)": {"birth_date": "2004-08-30", "nationality": "IN",
                             "country_of_birth": "IN", **STATED},
}

for name, student in students.items():
    decision = ssreg.evaluate({"student": student}, on="2026-09-15")
    print(f"{name}: {decision.route}", f"(blocked: {', '.join(decision.blocks)})"
          if decision.blocks else "")

# A disputed point is an explicit, overridable choice:
quebec = {"student": {"birth_date": "2003-02-02", "nationality": "CA", "country_of_birth": "CA",
                      "quebec_form": "SE401-Q-106", "address_in_france": "Bordeaux",
                      "stay_months": 10, "enrolled_in_french_institution": True,
                      "previously_affiliated": False, "salaried": False,
                      "andorran_insured": False}}
print("Québec form, default choice:", ssreg.evaluate(quebec, on="2026-09-15").route)
print("Québec form, the other side:", ssreg.evaluate(
    quebec, on="2026-09-15", overrides={"quebec_form_policy": "exempt"}).route)
print(ssreg.evaluate({"student": students["Ana (Brazil, first time)"]},
                     on="2026-09-15").explain("es").splitlines()[1])

# Said nothing about a European Health Insurance Card: the route is open, and the
# Decision asks the one question that settles it, with what each answer gives.
lukas = {k: v for k, v in students["Lukas (Germany, EHIC)"].items() if k != "ehic_expiry"}
lukas["has_s1"] = False
summary = ssreg.evaluate({"student": lukas}, on="2026-09-15").summary("en")
print("\n".join(summary.splitlines()[:4]))
