"""The flow-on finding worded in every digest language: a claimed link, an opposite one and
no clear link, with no English catalog text left and the figures in the language's format."""

from __future__ import annotations

import pytest

from bot.core.i18n import SUPPORTED, translator
from bot.insights.flowon import MOOD_LEADS, OUTCOME_LEADS, FlowOnFinding, FlowOnResult
from bot.insights.flowon_words import finding_summary, sentence
from tests.support.languages import english_left

TRANSLATED = [code for code in SUPPORTED if code != "en"]
CLAIMED = FlowOnResult("customer_csat", 1, MOOD_LEADS, 0.31, 0.12, 0.48, 160, 0.01, 0.01)
REVERSE = FlowOnResult("customer_csat", 1, OUTCOME_LEADS, 0.2, 0.05, 0.35, 150, 0.02, 0.03)
OPPOSITE = FlowOnResult("win_share", 1, MOOD_LEADS, -0.25, -0.4, -0.1, 140, 0.9, 0.9)

FINDINGS = {
    "claimed, reverse check stood out": FlowOnFinding(
        [CLAIMED, REVERSE], CLAIMED, "", "customer_csat", 0.2
    ),
    "claimed, workload controlled": FlowOnFinding(
        [CLAIMED], CLAIMED, "", "customer_csat", 0.2, workload_controlled=True
    ),
    "no clear link, opposite pattern": FlowOnFinding(
        [OPPOSITE], None, "", "win_share", 0.22, opposite=OPPOSITE
    ),
}


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("case", sorted(FINDINGS))
def test_the_finding_is_worded_in_the_digests_language(language: str, case: str) -> None:
    finding = FINDINGS[case]
    worded = finding_summary(finding, translator(language))
    assert english_left(language, [worded]) == []
    figure = "0.31" if language == "ja" else "0,31"  # Japanese writes a decimal point
    if finding.best is not None:
        assert figure in worded
    # English still reads the sentence the analysis wrote, untouched.
    full = FlowOnFinding(**{**finding.__dict__, "summary": sentence(finding)})
    assert finding_summary(full) == sentence(finding)
