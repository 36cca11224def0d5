"""Which route does each student follow?  Explanations in three languages."""

import ssreg


students = {
    "Ana (Brazil, first time)": {"birth_date": "2004-03-01", "nationality": "BR",
                                 "country_of_birth": "BR", "address_in_france": "Paris"},
    "Lukas (Germany, EHIC)": {"birth_date": "2005-01-20", "nationality": "DE",
                              "country_of_birth": "DE", "ehic_expiry": "2027-12-31"},
    "Yasmine (born in Lyon)": {"birth_date": "2003-07-14", "nationality": "MA",
                               "country_of_birth": "FR"},
    "Emma (3-month exchange)": {"birth_date": "2001-11-11", "nationality": "US",
                                "country_of_birth": "US", "stay_months": 3},
    "Raj (no address yet)": {"birth_date": "2004-08-30", "nationality": "IN",
                             "country_of_birth": "IN"},
}

for name, student in students.items():
    decision = ssreg.evaluate({"student": student}, on="2026-09-15")
    print(f"{name}: {decision.route}", f"(blocked: {', '.join(decision.blocks)})"
          if decision.blocks else "")

# A disputed point is an explicit, overridable choice:
quebec = {"student": {"birth_date": "2003-02-02", "nationality": "CA", "country_of_birth": "CA",
                      "quebec_form": "SE401-Q-106", "address_in_france": "Bordeaux"}}
print("Québec form, default choice:", ssreg.evaluate(quebec, on="2026-09-15").route)
print("Québec form, the other side:", ssreg.evaluate(
    quebec, on="2026-09-15", overrides={"quebec_form_policy": "exempt"}).route)
print(ssreg.evaluate({"student": students["Ana (Brazil, first time)"]},
                     on="2026-09-15").explain("es").splitlines()[1])
