"""DataFrames: the columnar pricer against today's paths and a numpy reference.

Run:  python benchmarks/bench_frames.py [--n 1000000] [--rounds 3] [--persons 20000]

1. A realistic frame of ``--n`` claims is built **before** any clock starts, with the
   dtypes a notebook user gets (care types and persons as ``str``, dates as
   ``datetime64``, amounts as ``float64``, boxes and hospital days as ``float64`` with
   gaps, pathway answers as booleans with gaps): GP and specialist consultations, three
   classes of medicines with boxes, paramedical acts, lab tests, dental care, optics
   with a yearly allowance, hospital stays, emergencies, psychologist sessions, costly
   acts; three years of care for ``--persons`` persons in date order, so the fixed
   charges' daily and yearly caps are reached; and a few rows a user got wrong (an
   unknown care type, an amount with three decimals, a medicine without its class).
   The same rows are also built as dicts and as ``ssreg.Claim`` objects.
2. ``price_frame`` (columns) and today's claim-by-claim paths price them in alternating
   rounds: ``price_frame(columnar=False)``, ``price_claims`` on the dicts and on the
   ``Claim`` objects (pricing alone: the objects are built before the clock).  Before the
   ratios, the two frames are compared on every row and every column, to the cent.
3. The common case (GP, specialist, medicines, lab tests, paramedical acts, dental care,
   a 100 % cover) is priced by ``price_frame`` and by a numpy reference written here
   (integer cents, the rules of those care types written out, caps as sorted cumulative
   sums), compared to the cent, then timed in alternating rounds.

4. With ``--today-src DIR`` (the ``src`` of ssreg before this work, e.g. from
   ``git archive a41c803 src | tar -x -C DIR --strip-components=1``), the columnar path
   against the ``price_frame`` of then, run in a child process, in alternating rounds on
   a frame both can read: wall clock and CPU time of the pricing process (the steadier
   on a shared machine).  ``--today-only`` runs this part alone.

Ratios are ``median [min-max]`` over the rounds of (variant time / columnar time).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))

import numpy as np
import pandas as pd
from _common import alternate, machine, report

import ssreg


COVER = ssreg.Cover(name="100 % BR and optics", levels={"default": 100},
                    yearly_allowance={"optics": 100})
CARE = [  # care type, class, bill in euros, weight
    ("gp_consultation", None, 30.0, 26), ("specialist_consultation", None, 50.0, 9),
    ("medicine", "major", 12.4, 14), ("medicine", "moderate", 8.9, 8),
    ("medicine", "low", 4.1, 5), ("paramedical", None, 16.13, 8),
    ("lab_biology", None, 24.3, 9), ("dental", None, 60.0, 6), ("optics", None, 180.0, 2),
    ("hospital_stay", None, 900.0, 1), ("emergency_visit", None, 45.0, 1),
    ("psychologist_session", None, 50.0, 1), ("costly_act", None, 320.0, 1)]
COMMON = [c for c in CARE if c[0] in ("gp_consultation", "specialist_consultation",
                                      "medicine", "paramedical", "lab_biology", "dental")]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def claims_frame(n: int, persons: int, menu: list, seed: int = 1,
                 mistakes: bool = True) -> pd.DataFrame:
    """``n`` claims over 2024-2026 in date order, natural dtypes."""
    rng = np.random.default_rng(seed)
    weights = np.array([m[3] for m in menu], dtype=float)
    pick = rng.choice(len(menu), size=n, p=weights / weights.sum())
    care = np.array([m[0] for m in menu], dtype=object)[pick]
    klass = np.array([m[1] for m in menu], dtype=object)[pick]
    billed = np.array([m[2] for m in menu])[pick]
    days = np.sort(rng.integers(0, 3 * 365, n))
    medicine = care == "medicine"
    paramedical = care == "paramedical"
    boxes = np.where(medicine, rng.choice([1, 1, 2, 3], n),
                     np.where(paramedical, rng.choice([1, 2, 4], n), np.nan))
    stay = care == "hospital_stay"
    consultation = np.isin(care, ["gp_consultation", "specialist_consultation"])
    declared = np.where(consultation, rng.random(n) < 0.8, None)
    referred = np.where(care == "specialist_consultation", rng.random(n) < 0.5, None)
    frame = pd.DataFrame({
        "id": pd.Series([f"c{i}" for i in range(n)], dtype="str"),
        "person": pd.Series([f"p{i}" for i in rng.integers(0, persons, n)], dtype="str"),
        "care": pd.Series(care, dtype="str"),
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
        "billed": billed,
        "age": rng.choice([17, 19, 22, 24, 27], n),
        "medicine_class": pd.Series(klass, dtype="str"),
        "boxes": boxes,
        "hospital_days": np.where(stay, rng.integers(1, 6, n), np.nan),
        "referent_doctor_declared": pd.array(declared, dtype="boolean"),
        "referred": pd.array(referred, dtype="boolean"),
    })
    if mistakes:  # about 3 rows in 1000 a user got wrong
        wrong = rng.choice(n, size=max(1, n // 1000), replace=False)
        frame.loc[wrong, "care"] = "massage"
        wrong = rng.choice(n, size=max(1, n // 1000), replace=False)
        frame.loc[wrong, "billed"] = 12.345
        wrong = rng.choice(np.flatnonzero(medicine), size=max(1, n // 1000), replace=False)
        frame.loc[wrong, "medicine_class"] = None
    return frame


def portable_frame(n: int, persons: int) -> pd.DataFrame:
    """The claims of :func:`claims_frame` as the code before the columnar pricer can read
    them too (boxes and hospital days as whole ``int64``, yes/no answers as objects)."""
    frame = claims_frame(n, persons, CARE)
    frame["boxes"] = frame["boxes"].fillna(1).astype("int64")
    frame["hospital_days"] = frame["hospital_days"].fillna(0).astype("int64")
    for name in ("referent_doctor_declared", "referred"):
        frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    return frame


def today_child(n: int, persons: int) -> None:
    """In a child process running the code of before (``--today-src``): price the
    portable frame once and print the seconds."""
    frame = portable_frame(n, persons)
    ssreg.price_frame(frame.iloc[:200], cover=COVER, money="cents", errors="collect")  # warm
    start, cpu = time.perf_counter(), time.process_time()
    ssreg.price_frame(frame, cover=COVER, money="cents", errors="collect")
    print(time.perf_counter() - start, time.process_time() - cpu)


def today_rounds(args: argparse.Namespace) -> None:
    """Part 3: the columnar path against ``price_frame`` as it was before this work, run
    from ``--today-src`` in a child process, in alternating rounds on the same frame."""
    frame = portable_frame(args.n, args.persons)
    env = dict(os.environ, PYTHONPATH=args.today_src)
    command = [sys.executable, __file__, "--child-today", "--n", str(args.n),
               "--persons", str(args.persons)]
    ssreg.price_frame(frame.iloc[:200], cover=COVER, money="cents", errors="collect")  # warm
    new, old, new_cpu, old_cpu = [], [], [], []
    for _ in range(args.rounds):
        start, cpu = time.perf_counter(), time.process_time()
        ssreg.price_frame(frame, cover=COVER, money="cents", errors="collect")
        new.append(time.perf_counter() - start)
        new_cpu.append(time.process_time() - cpu)
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        wall, spent = out.stdout.split()[-2:]
        old.append(float(wall))
        old_cpu.append(float(spent))
    print(f"3. {args.n:,} claims (boxes and days as integers: readable before), "
          f"{args.rounds} rounds, against price_frame from {args.today_src} (wall clock, "
          "then CPU time of the pricing process: steadier on a shared machine):")
    for what, columns, before in (("wall", new, old), ("CPU ", new_cpu, old_cpu)):
        ratios = [o / c for o, c in zip(before, columns, strict=True)]
        print(f"  {what} price_frame (columns)   : "
              f"{statistics.median(columns) / args.n * 1e6:9.2f} us/row")
        print(f"  {what} price_frame, before     : "
              f"{statistics.median(before) / args.n * 1e6:9.2f} us/row"
              f"   ratio to the columns: {statistics.median(ratios):.2f}x "
              f"[{min(ratios):.2f}-{max(ratios):.2f}]")


def compare(columns: pd.DataFrame, claims: pd.DataFrame) -> int:
    """Rows where the two priced frames differ in any column (money in cents)."""
    differs = np.zeros(len(columns), dtype=bool)
    for name in columns.columns:
        a, b = columns[name], claims[name]
        same = (a == b).fillna(False).to_numpy(dtype=bool) | (a.isna() & b.isna()).to_numpy()
        differs |= ~same
    return int(differs.sum())


# ---- the numpy reference: the common care types, written out, on integer cents ----

def day_number(text: str) -> int:
    return int(np.datetime64(text, "D").astype(np.int64))


GP_SWITCH, PF_SWITCH, FR_SWITCH = map(day_number, ("2024-12-22", "2024-05-15", "2024-03-31"))
RATES = {"major": 65, "moderate": 30, "low": 15}


def running(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Running totals within runs of equal ``groups``."""
    total = np.cumsum(values)
    start = np.r_[True, groups[1:] != groups[:-1]]
    return total - (total - values)[start][np.cumsum(start) - 1]


def capped(owed: np.ndarray, groups: np.ndarray, cap) -> np.ndarray:
    total = running(owed, groups)
    return np.minimum(total, cap) - np.minimum(total - owed, cap)


def reference(frame: pd.DataFrame) -> pd.DataFrame:
    """AMO, top-up and patient share in cents (a 100 % contrat responsable)."""
    care_codes, cares = pd.factorize(frame["care"])
    care = np.asarray(cares, dtype=object)[care_codes]
    persons = pd.factorize(frame["person"])[0]
    day = frame["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    year = day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    billed = np.rint(frame["billed"].to_numpy() * 100).astype(np.int64)
    age = frame["age"].to_numpy()
    klass = frame["medicine_class"].to_numpy(dtype=object)
    boxes = frame["boxes"].fillna(1).to_numpy().astype(np.int64)
    declared = frame["referent_doctor_declared"].fillna(False).to_numpy(dtype=bool)
    referred = frame["referred"].fillna(False).to_numpy(dtype=bool)
    gp, specialist = care == "gp_consultation", care == "specialist_consultation"
    medicine, paramedical = care == "medicine", care == "paramedical"
    consult = gp | specialist
    base = np.where(gp, np.where(day >= GP_SWITCH, 3000, 2650),
                    np.where(specialist, 3150, billed))
    base = np.minimum(base, billed)
    out = consult & (age >= 16) & (~declared | (specialist & ~referred))
    rate = np.where(consult, np.where(out, 30, 70), 60)
    for name, value in RATES.items():
        rate = np.where(medicine & (klass == name), value, rate)
    gross = (2 * base * rate + 100) // 200
    adult = age >= 18
    order = np.lexsort((day, persons))
    deduction = np.zeros(len(frame), dtype=np.int64)
    pf = adult & (consult | (care == "lab_biology"))
    seq = order[pf[order]]
    owed = np.minimum(np.where(day[seq] >= PF_SWITCH, 200, 100), gross[seq])
    key = (persons[seq] * 4096 + day[seq] - day.min()) * 8 + care_codes[seq]
    by_key = np.argsort(key, kind="stable")
    daily = np.empty_like(owed)
    daily[by_key] = capped(owed[by_key], key[by_key],
                           np.where(day[seq] >= PF_SWITCH, 800, 400)[by_key])
    deduction[seq] = capped(daily, persons[seq] * 8 + year[seq] - year.min(), 5000)
    fr = adult & (medicine | paramedical)
    seq = order[fr[order]]
    unit = np.where(day[seq] >= FR_SWITCH, 100, 50)
    owed = np.minimum(unit * boxes[seq], gross[seq])
    para = paramedical[seq]
    day_key = persons[seq] * 4096 + day[seq] - day.min()
    sub = np.flatnonzero(para)
    owed[sub] = capped(owed[sub], day_key[sub], np.where(day[seq][sub] >= FR_SWITCH, 400,
                                                          200))
    deduction[seq] = capped(owed, persons[seq] * 8 + year[seq] - year.min(), 5000)
    amo = gross - deduction
    top = np.maximum(np.minimum(billed, base) - gross, 0)
    top = np.where(out, np.minimum(top, (2 * base * 30 + 100) // 200), top)
    return pd.DataFrame({"amo": amo, "top_up": top, "patient": billed - amo - top})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--today-src", help="a source tree of ssreg before this work (its "
                        "price_frame is timed in a child process)")
    parser.add_argument("--today-only", action="store_true", help="only part 4 (the "
                        "columns against --today-src)")
    parser.add_argument("--child-today", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_today:
        today_child(args.n, args.persons)
        return
    if args.today_only:
        print(machine())
        print(f"uptime at start: {uptime()}")
        today_rounds(args)
        print(f"uptime at end: {uptime()}")
        return
    print(machine())
    print(f"uptime at start: {uptime()}")
    n = args.n

    frame = claims_frame(n, args.persons, CARE)
    from ssreg.notebook.frames import frame_claims

    items = frame_claims(frame)
    objects = []
    for item in items:
        with contextlib.suppress(ssreg.InvalidClaimError):
            objects.append(ssreg.Claim(**item))
    print(f"1. {n:,} claims built ({len(objects):,} valid as Claim objects), "
          f"{args.rounds} rounds")

    kept: dict[str, pd.DataFrame] = {}

    def by_columns() -> None:
        kept["columns"] = ssreg.price_frame(frame, cover=COVER, money="cents",
                                            errors="collect")

    def by_claims() -> None:
        kept["claims"] = ssreg.price_frame(frame, cover=COVER, money="cents",
                                           errors="collect", columnar=False)

    def dicts() -> None:
        for _ in ssreg.price_claims(items, cover=COVER, errors="collect"):
            pass

    def claim_objects() -> None:
        for _ in ssreg.price_claims(objects, cover=COVER, errors="collect"):
            pass

    times = alternate({"price_frame (columns)": by_columns,
                       "price_frame(columnar=False), today's": by_claims,
                       "price_claims on the dicts": dicts,
                       "price_claims on Claim objects (valid rows)": claim_objects},
                      args.rounds)
    got, expected = kept["columns"], kept["claims"]
    mismatches = compare(got, expected)
    refused = int((~got["ok"]).sum())
    print(f"agreement: {mismatches} mismatches on {n:,} rows, every column, to the cent "
          f"({refused:,} refused rows, {got.attrs['ssreg']['claim_by_claim']:,} priced "
          "claim by claim by the columnar path)")
    report(times, "price_frame (columns)", n, label="row")
    if mismatches:
        sys.exit(1)

    common = claims_frame(n, args.persons, COMMON, seed=2, mistakes=False)
    cover = ssreg.Cover(name="100 % BR", levels={"default": 100})
    library = ssreg.price_frame(common, cover=cover, money="cents")
    ours = reference(common)
    differs = sum(int((library[name].to_numpy(dtype=np.int64) != ours[name].to_numpy()).sum())
                  for name in ("amo", "top_up", "patient"))
    print(f"2. the common case, {n:,} claims: numpy reference {differs} mismatches "
          f"(AMO, top-up, patient, to the cent)")
    times = alternate({"numpy reference": lambda: reference(common),
                       "price_frame (columns)": lambda: ssreg.price_frame(
                           common, cover=cover, money="cents")}, args.rounds)
    report(times, "numpy reference", n, label="row")
    if differs:
        sys.exit(1)
    if args.today_src:
        today_rounds(args)
    print(f"uptime at end: {uptime()}")
    print(f"({time.process_time():.0f} s of CPU in this process)")


if __name__ == "__main__":
    main()
