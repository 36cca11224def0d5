"""Batch pricing: ssreg.price_claims against a hand-written Decimal function, same claims.

Run:  python benchmarks/bench_claims.py [--n 1000000] [--persons 1000]

Both price the same generated claims (8 kinds of care over 2024-2026, 1000 persons,
caps per person, a 100 % BR responsable contract).  The script first checks that both
give identical amounts, then times them in alternating rounds and prints claims/s, the
ratio, and the resident memory sampled while the library streams the whole batch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import claims, rss_mb

import ssreg


CENT = Decimal("0.01")
ZERO = Decimal("0.00")
COVER = ssreg.Cover(name="100 % BR", levels={"default": Decimal(100)})


def q(x: Decimal) -> Decimal:
    return x.quantize(CENT, ROUND_HALF_UP)


# ---- the hand-written reference: every rule of the benchmark's care mix, written out ----
RATES = {"major": Decimal("0.65"), "moderate": Decimal("0.30"), "low": Decimal("0.15")}
PF_SWITCH, FR_SWITCH, GP_SWITCH = date(2024, 5, 15), date(2024, 3, 31), date(2024, 12, 22)


def hand_priced(stream):
    state: dict[str, list] = {}
    for c in stream:
        s = state.get(c.person)
        if s is None:
            s = state[c.person] = [None, 0, {}, ZERO, ZERO, ZERO]
        if s[0] != c.date:
            s[0], s[2], s[5] = c.date, {}, ZERO
        if s[1] != c.date.year:
            s[1], s[3], s[4] = c.date.year, ZERO, ZERO
        care, billed = c.care, c.billed
        consult = care in ("gp_consultation", "specialist_consultation")
        if care == "gp_consultation":
            base = Decimal("30") if c.date >= GP_SWITCH else Decimal("26.50")
        elif care == "specialist_consultation":
            base = Decimal("31.50")
        else:
            base = billed
        base = min(base, billed)
        out = consult and c.age >= 16 and (not c.referent_doctor_declared or (
            care == "specialist_consultation" and not c.referred))
        if consult:
            rate = Decimal("0.30") if out else Decimal("0.70")
        elif care == "medicine":
            rate = RATES[c.medicine_class]
        elif care == "dental":
            rate = Decimal("0.60")
        else:  # lab_biology, paramedical
            rate = Decimal("0.60")
        gross = q(base * rate)
        ded = ZERO
        if c.age >= 18:
            if consult or care == "lab_biology":
                pf = Decimal(2) if c.date >= PF_SWITCH else Decimal(1)
                cap = Decimal(8) if c.date >= PF_SWITCH else Decimal(4)
                used = s[2].get(care, ZERO)
                ded = q(max(min(pf, cap - used, Decimal(50) - s[3], gross), ZERO))
                s[2][care] = used + ded
                s[3] += ded
            elif care in ("medicine", "paramedical"):
                unit = Decimal(1) if c.date >= FR_SWITCH else Decimal("0.50")
                limits = [Decimal(50) - s[4], gross]
                if care == "paramedical":
                    limits.append((Decimal(4) if c.date >= FR_SWITCH else Decimal(2)) - s[5])
                ded = q(max(min(q(unit * c.boxes), *limits), ZERO))
                s[4] += ded
                s[5] += ded
        amo = gross - ded
        top = max(min(billed, q(base)) - gross, ZERO)
        if out:
            top = min(top, q(base * Decimal("0.30")))
        yield (amo, top, billed - amo - top)


def lib_priced(stream):
    for r in ssreg.price_claims(stream, cover=COVER, presorted=True):
        yield (r.amo, r.top_up, r.patient)




def timed(fn, n: int, persons: int) -> float:
    start = time.perf_counter()
    for _ in fn(claims(n, persons)):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--round-size", type=int, default=100_000)
    args = parser.parse_args()

    check = 50_000
    mismatches = sum(a != b for a, b in zip(hand_priced(claims(check, args.persons)),
                                            lib_priced(claims(check, args.persons)),
                                            strict=True))
    print(f"correctness: {mismatches} mismatches on {check} claims")
    if mismatches:
        sys.exit(1)

    lib_t, hand_t = [], []
    for _ in range(args.rounds):  # alternate so machine noise hits both
        lib_t.append(timed(lib_priced, args.round_size, args.persons))
        hand_t.append(timed(hand_priced, args.round_size, args.persons))
    lib_rate = args.round_size / statistics.median(lib_t)
    hand_rate = args.round_size / statistics.median(hand_t)
    print(f"library     : {lib_rate:>10,.0f} claims/s (median of {args.rounds} x "
          f"{args.round_size:,})")
    print(f"hand-written: {hand_rate:>10,.0f} claims/s")
    print(f"ratio       : library takes {hand_rate / lib_rate:.2f}x the hand-written time")

    samples = []
    start = time.perf_counter()
    for i, _ in enumerate(lib_priced(claims(args.n, args.persons))):
        if i % (args.n // 10 or 1) == 0:
            samples.append(rss_mb())
    elapsed = time.perf_counter() - start
    samples.append(rss_mb())
    print(f"full batch  : {args.n:,} claims in {elapsed:.1f} s ({args.n / elapsed:,.0f}/s)")
    print("RSS (MB) at each tenth: " + " ".join(f"{s:.0f}" for s in samples))
    print(f"RSS growth over the batch after the first tenth: {samples[-1] - samples[1]:+.1f} MB")


if __name__ == "__main__":
    main()
