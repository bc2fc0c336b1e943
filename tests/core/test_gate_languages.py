"""The gates refuse in the language of the person they turn away, over signed HTTP: a
member whose Slack locale is French, German, Spanish, Brazilian Portuguese or Japanese types
`/cx notes`, `/cx digest` and `/cx admin`, clicks the webhook-secret button and submits the
admin window (one an admin opened: say, after losing the role), and submits a note's reply
window. Each refusal is the exact translation, with no English catalog text left."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.core import ids
from bot.core.i18n import ENGLISH
from bot.notes.store import VisibleNote
from bot.notes.views import build_reply_modal
from tests.support.admin import admin_user, open_admin
from tests.support.languages import LANGUAGE, english_left, texts
from tests.support.stack import SandboxStack
from tests.support.waiting import response_text

# Written out here rather than read from the catalogs: notes, digest, admin.
REFUSALS: dict[str, tuple[str, str, str]] = {
    "fr-FR": (
        "Les notes anonymes sont réservées aux responsables. Demande à un admin de l'espace "
        "si tu devrais en faire partie.",
        "Seuls les responsables peuvent voir l'aperçu du récap. Il est publié chaque semaine "
        "dans son canal ; demande à un admin si tu devrais être responsable.",
        "Seuls les admins et propriétaires de l'espace de travail (ou les personnes indiquées "
        "par ton opérateur CX Pulse) peuvent modifier les réglages. Demande-leur si quelque "
        "chose doit changer.",
    ),
    "de-DE": (
        "Anonyme Notizen sind für Leads. Frag einen Workspace-Admin, wenn du einer sein solltest.",
        "Nur Leads sehen die Digest-Vorschau. Der Digest kommt jede Woche in seinen Kanal; "
        "frag einen Admin, wenn du Lead sein solltest.",
        "Nur Workspace-Admins und -Inhaber (oder Leute, die dein CX-Pulse-Betreiber eingetragen "
        "hat) können die Einstellungen ändern. Frag sie, wenn sich etwas ändern soll.",
    ),
    "es-ES": (
        "Las notas anónimas son para responsables. Pregunta a un admin del espacio si "
        "deberías serlo.",
        "Solo los responsables pueden ver el resumen por adelantado. Se publica cada semana "
        "en su canal; pregunta a un admin si deberías ser responsable.",
        "Solo los admins y propietarios del espacio de trabajo (o quien indique tu operador "
        "de CX Pulse) pueden cambiar los ajustes. Pídeselo a ellos si hay que cambiar algo.",
    ),
    "pt-BR": (
        "As notas anônimas são para líderes. Fale com um admin do workspace se você deveria "
        "ser um.",
        "Só líderes podem ver a prévia do resumo. Ele é publicado toda semana no canal do "
        "resumo; fale com um admin se você deveria ser líder.",
        "Só admins e proprietários do workspace (ou quem o operador do CX Pulse indicou) "
        "podem mudar as configurações. Fale com eles se algo precisar mudar.",
    ),
    "ja-JP": (
        "匿名のメモはリーダー向けです。リーダーになるべき場合は、ワークスペースの管理者にご相談ください。",
        "ダイジェストのプレビューはリーダーだけが見られます。ダイジェストは毎週そのチャンネルに投稿されます。"
        "リーダーになるべき場合は管理者に相談してください。",
        "設定を変更できるのは、ワークスペースの管理者とオーナー"
        "(またはCX Pulseの運用担当者が指定した人)だけです。"
        "変更が必要なら、その人たちに相談してください。",
    ),
}


def _refused(locale: str, answer: Any, refusal: str) -> None:
    shown = texts(answer)
    assert refusal in shown, shown
    assert english_left(LANGUAGE[locale], shown) == []


@pytest.mark.parametrize("locale", sorted(REFUSALS))
def test_every_gate_refuses_in_the_persons_language(stack: SandboxStack, locale: str) -> None:
    notes, digest, admin_refusal = REFUSALS[locale]
    member = str(stack.emulator.add_user(name="max", locale=locale)["id"])
    stack.run_job("sync-users")  # the app learns the member's Slack locale

    for index, (word, refusal) in enumerate(
        [("notes", notes), ("digest", digest), ("admin", admin_refusal)]
    ):
        assert stack.actor.slash_command(member, word).status == 200
        reply = response_text(stack.emulator, index=index)
        assert reply["response_type"] == "ephemeral"
        _refused(locale, reply, refusal)
    assert stack.emulator.calls_to("views.open") == []

    # A window an admin opened, used by someone who may not: the button pushes the refusal,
    # the submission keeps the window open with it (Slack shows 150 characters).
    view = open_admin(stack, admin_user(stack))
    stack.actor.click(member, view=view, action_id=ids.ADMIN_OUTCOMES_SECRET)
    (pushed,) = stack.emulator.wait_for("views.push")
    _refused(locale, pushed.args["view"], admin_refusal)
    kept = stack.actor.submit_view(member, view, {})
    assert kept.json == {
        "response_action": "errors",
        "errors": {ids.ADMIN_VALUES: admin_refusal[:150]},
    }

    # The reply window of a note, submitted by someone who is not (or no longer) a lead.
    window = {**build_reply_modal(VisibleNote(1, date(2026, 3, 2), "Too many tickets"), ENGLISH)}
    window["id"] = "VREPLY0001"
    kept = stack.actor.submit_view(member, window, {ids.NOTE_REPLY_TEXT: "Thanks"})
    assert kept.json == {"response_action": "errors", "errors": {ids.NOTE_REPLY_TEXT: notes[:150]}}
