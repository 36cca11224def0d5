"""Batch pricing: ssreg.price_claims against a hand-written Decimal function, same claims.

Run:  python benchmarks/bench_claims.py [--round-size 100000] [--rounds 5] [--memory 1000000]

Both price the same claims (8 kinds of care over 2024-2026, 1000 persons, caps per
person, a 100 % BR responsable contract), built as ``ssreg.Claim`` objects **before**
the clock starts, so the ratio is pricing alone.  The script first checks that both give
identical amounts (and that the unsorted and presorted batches agree), then times them
in alternating rounds and prints the ratio ``median [min-max]`` over the rounds.

``--memory N`` prices N claims streamed from a generator (never held as a list) in a
child process per mode, and prints each child's peak resident memory against its memory
before the batch: ``presorted`` (streamed), ``unsorted`` (the default: read whole into
packed records; found in date order, so priced as it came) and ``shuffled`` (the claims
shuffled by blocks of 4096, so regrouped person by person from the packed records).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

from _common import alternate, claims, machine, peak_rss_mb, report, reset_peak_rss, rss_mb

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
                if care == "paramedical":  # only paramedical acts have a daily cap [F2]
                    s[5] += ded
        amo = gross - ded
        top = max(min(billed, q(base)) - gross, ZERO)
        if out:
            top = min(top, q(base * Decimal("0.30")))
        yield (amo, top, billed - amo - top)


def lib_priced(stream, presorted=True):
    for r in ssreg.price_claims(stream, cover=COVER, presorted=presorted):
        yield (r.amo, r.top_up, r.patient)


def drain(results) -> None:
    for _ in results:
        pass


def shuffled_days(stream, window: int = 4096):
    """The claims in a locally shuffled order (dates go back and forth), still streamed."""
    rnd = random.Random(4)
    buffer = []
    for claim in stream:
        buffer.append(claim)
        if len(buffer) == window:
            rnd.shuffle(buffer)
            yield from buffer
            buffer = []
    rnd.shuffle(buffer)
    yield from buffer


def memory_child(mode: str, n: int, persons: int) -> None:
    drain(lib_priced(claims(100, persons)))  # the rulebook loaded, the caches warm
    before = rss_mb()
    reset_peak_rss()
    # shuffled: the claims come in a random order within blocks of 4096
    stream = shuffled_days(claims(n, persons)) if mode == "shuffled" else claims(n, persons)
    drain(ssreg.price_claims(stream, cover=COVER, presorted=mode == "presorted"))
    print(f"{before:.1f} {peak_rss_mb():.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--round-size", type=int, default=100_000)
    parser.add_argument("--check", type=int, default=50_000)
    parser.add_argument("--memory", type=int, default=0, help="claims for the memory check")
    parser.add_argument("--memory-child", choices=("presorted", "unsorted", "shuffled"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.memory, args.persons)
        return
    print(machine())

    batch = list(claims(args.check, args.persons))
    hand = list(hand_priced(batch))
    mismatches = sum(a != b for a, b in zip(hand, lib_priced(batch), strict=True))
    mismatches += sum(a != b for a, b in zip(hand, lib_priced(batch, False), strict=True))
    shuffled = list(enumerate(batch))
    random.Random(2).shuffle(shuffled)
    again = list(lib_priced([c for _, c in shuffled], False))
    back = [None] * len(batch)
    for (original, _), priced in zip(shuffled, again, strict=True):
        back[original] = priced
    mismatches += sum(a != b for a, b in zip(hand, back, strict=True))
    print(f"correctness: {mismatches} mismatches on {args.check:,} claims "
          "(presorted, unsorted and shuffled batches against the hand-written function)")
    if mismatches:
        sys.exit(1)

    batch = list(claims(args.round_size, args.persons))  # built before any clock starts
    shuffled = random.Random(3).sample(batch, len(batch))
    times = alternate({
        "hand-written": lambda: drain(hand_priced(batch)),
        "price_claims presorted=True": lambda: drain(lib_priced(batch)),
        "price_claims (default), sorted input": lambda: drain(lib_priced(batch, False)),
        "price_claims (default), shuffled input": lambda: drain(lib_priced(shuffled, False)),
    }, args.rounds)
    print(f"pricing alone, {args.round_size:,} claims a round, {args.rounds} rounds:")
    report(times, "hand-written", args.round_size, label="claim")

    if args.memory:
        print(f"peak memory pricing {args.memory:,} claims from a generator:")
        for mode in ("presorted", "unsorted", "shuffled"):
            out = subprocess.run(
                [sys.executable, __file__, "--memory", str(args.memory), "--persons",
                 str(args.persons), "--memory-child", mode],
                capture_output=True, text=True, check=True).stdout.split()
            before, peak = map(float, out)
            print(f"  {mode:<9} : peak {peak:6.1f} MB (before the batch {before:.1f} MB, "
                  f"growth {peak - before:+.1f} MB)")


if __name__ == "__main__":
    main()
