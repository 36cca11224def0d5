"""``ssreg interview`` driven through a pseudo-terminal, as a person would use it.

The interview runs in a child process whose standard input and output are a terminal
(the standard library's ``pty``); the test reads each question, answers it (sometimes
badly, sometimes "I don't know"), and checks the summary and the saved case, which
``ssreg evaluate`` then reads back.
"""

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ssreg
from ssreg.texts import typeset


pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
BOOK = ssreg.default_rulebook()


class Terminal:
    """A child process on a pseudo-terminal: read until a prompt, answer, read on."""

    def __init__(self, *args: str) -> None:
        self.master, slave = os.openpty()
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
        self.process = subprocess.Popen([sys.executable, "-m", "ssreg", *args], stdin=slave,
                                        stdout=slave, stderr=slave, env=env, close_fds=True)
        os.close(slave)
        self.transcript = ""

    def read_until(self, marker: str, timeout: float = 60) -> str:
        """Everything printed until ``marker``, or until the child ends."""
        start = len(self.transcript)
        deadline = time.monotonic() + timeout
        while marker not in self.transcript[start:]:
            left = deadline - time.monotonic()
            assert left > 0, f"no {marker!r} in:\n{self.transcript[start:]}"
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            self.transcript += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return self.transcript[start:]

    def answer(self, text: str) -> None:
        os.write(self.master, (text + "\n").encode())

    def close(self) -> int:
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


def question_of(screen: str, lang: str) -> str:
    """The fact whose question the screen shows last."""
    found = [(screen.rfind(typeset(spec.question[lang], lang)), name)
             for name, spec in BOOK.facts.items()
             if spec.question and spec.path.startswith("student.")
             and typeset(spec.question[lang], lang) in screen]
    assert found, screen
    return max(found)[1]


def interview(lang: str, answers: dict[str, list[str]], tmp_path: Path) -> tuple[str, Path]:
    """Run an interview answering each question from ``answers`` (several for a fact: the
    first ones are bad and must be asked again); the transcript and the saved case."""
    saved = tmp_path / "case.json"
    term = Terminal("interview", "--lang", lang, "--on", "2026-10-01", "--save", str(saved))
    try:
        asked = []
        while "> " in (screen := term.read_until("> ")):  # else: the interview ended
            fact = question_of(screen, lang)
            asked.append(fact)
            assert asked.count(fact) == 1, f"{fact} asked twice:\n{term.transcript}"
            for number, reply in enumerate(answers[fact], start=1):
                term.answer(reply)
                if number < len(answers[fact]):
                    term.read_until("> ")  # the reason, then the prompt again
        code = term.close()
    finally:
        if term.process.poll() is None:
            term.process.kill()
    assert code == 0, term.transcript
    return term.transcript, saved


def evaluate_saved(saved: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "ssreg", "evaluate", str(saved), "--on",
                          "2026-10-01", "--json"], capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout)


def test_an_interview_in_french_to_a_settled_route(tmp_path):
    transcript, saved = interview("fr", {
        "nationality": ["DE"], "country_of_birth": ["DE"], "birth_date": ["20/01/2005",
                                                                         "2005-01-20"],
        "stay_months": ["dix", "10"], "enrolled_in_french_institution": ["peut-être", "oui"],
        "previously_affiliated": ["non"], "salaried": ["non"], "andorran_insured": ["non"],
        "ehic_expiry": ["1"], "has_s1": ["?"],
        "quebec_form": ["1"]}, tmp_path)
    assert "Indiquez une date au format AAAA-MM-JJ." in transcript
    assert "Indiquez un nombre entier de 0 à 1200." in transcript
    assert "Répondez par oui ou par non." in transcript
    assert "Que faire\u202f: Inscrivez-vous en ligne" in transcript  # French typography
    assert "Non connu\u202f: Détenez-vous un formulaire S1" in transcript
    case = json.loads(saved.read_text(encoding="utf-8"))
    assert case["student"]["ehic_expiry"] == "none" and "has_s1" not in case["student"]
    decision = evaluate_saved(saved)
    assert decision["outcomes"]["route"] == "online"
    assert "documents" in decision["open"]  # the S1 decides which proof is needed


def test_an_interview_in_spanish_with_a_short_stay(tmp_path):
    transcript, saved = interview("es", {
        "nationality": ["UK", "US"], "country_of_birth": ["US"], "birth_date": ["2004-03-01"],
        "stay_months": ["3"], "enrolled_in_french_institution": ["sí"],
        "previously_affiliated": ["no"], "salaried": ["no"], "andorran_insured": ["no"],
        "quebec_form": ["1"]}, tmp_path)
    assert "¿Cuál es su nacionalidad?" in transcript
    assert "GB" in transcript  # the reason for UK names the right code
    assert "No cubierto/a por la Assurance Maladie" in transcript
    decision = evaluate_saved(saved)
    assert decision["outcomes"]["route"] == "private_insurance" and not decision["open"]
