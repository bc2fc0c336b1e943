"""`/cx celebrate` answers each person in their own Slack language: a lead's bad input and
good input, the missing channel, the modal's inline errors, a non-lead's suggestion that a
lead celebrates (the lead's "✅ Celebrated in …" and the suggester's DM, each in their own
language), and a non-lead's click on a lead's button."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import ids
from tests.support.celebrations import Party, start_party
from tests.support.languages import LANGUAGE, LOCALES, OTHER, english_left, texts

# What each person must read, written out here rather than read from the catalogs.
EXPECTED: dict[str, dict[str, str]] = {
    "fr-FR": {
        "nobody": "Qui célèbre-t-on ? Mentionne les personnes, par ex. `/cx celebrate @alex",
        "no reason": "Pour quoi les célèbre-t-on ? Ajoute une phrase après les mentions",
        "self": "On célèbre ici les autres. Pour ta propre réussite, mentionne ceux avec qui tu",
        "unknown name": "Je ne connais personne qui s'appelle @nobody ici.",
        "bot": "{robot} est un bot : les célébrations, c'est pour les humains. Rien n'a",
        "modal bot": "robot est un bot : les célébrations, c'est pour les humains.",
        "posted": "🎉 Publié dans {channel}.",
        "no channel": "Aucun canal de célébrations n'est encore configuré",
        "celebrated": "✅ Célébré dans {channel}. Merci !",
        "thanks": "🎉 {lead} a célébré ta suggestion dans {channel}.",
        "for leads": "Seuls les responsables peuvent célébrer ; cette suggestion leur est",
        "moment gone": "Je ne retrouve plus ce moment client ; rien à célébrer.",
    },
    "de-DE": {
        "nobody": "Wen feiern wir? Erwähne die Leute, z. B. `/cx celebrate @alex",
        "no reason": "Wofür feiern wir sie? Schreib nach den Erwähnungen einen Satz",
        "self": "Feiern würdigen andere. Für deinen eigenen Erfolg erwähne, mit wem du",
        "unknown name": "Ich kenne hier niemanden namens @nobody.",
        "bot": "{robot} ist ein Bot: Feiern sind für Menschen. Es wurde nichts gepostet.",
        "modal bot": "robot ist ein Bot: Feiern sind für Menschen.",
        "posted": "🎉 In {channel} gepostet.",
        "no channel": "Es ist noch kein Feier-Channel eingerichtet",
        "celebrated": "✅ In {channel} gefeiert. Danke!",
        "thanks": "🎉 {lead} hat deinen Vorschlag in {channel} gefeiert.",
        "for leads": "Nur Leads können feiern; dieser Vorschlag ist für sie.",
        "moment gone": "Ich finde diesen Kundenmoment nicht mehr; es gibt nichts zu feiern.",
    },
    "es-ES": {
        "nobody": "¿A quién celebramos? Menciona a las personas, p. ej. `/cx celebrate @alex",
        "no reason": "¿Por qué los celebramos? Añade una frase después de las menciones",
        "self": "Las celebraciones son para reconocer a otros. Para tu propio logro, menciona",
        "unknown name": "No conozco a nadie llamado @nobody aquí.",
        "bot": "{robot} es un bot: las celebraciones son para personas. No se ha publicado nada.",
        "modal bot": "robot es un bot: las celebraciones son para personas.",
        "posted": "🎉 Publicado en {channel}.",
        "no channel": "Todavía no hay un canal de celebraciones configurado",
        "celebrated": "✅ Celebrado en {channel}. ¡Gracias!",
        "thanks": "🎉 {lead} celebró tu sugerencia en {channel}.",
        "for leads": "Solo los responsables pueden celebrar; esta sugerencia es para ellos.",
        "moment gone": "Ya no encuentro ese momento con el cliente; no hay nada que celebrar.",
    },
    "pt-BR": {
        "nobody": "Quem vamos celebrar? Mencione as pessoas, por ex. `/cx celebrate @alex",
        "no reason": "Por que vamos celebrar? Escreva uma frase depois das menções",
        "self": "Comemorações são para reconhecer os outros. Para a sua própria conquista",
        "unknown name": "Não conheço ninguém chamado @nobody aqui.",
        "bot": "{robot} é um bot: comemorações são para pessoas. Nada foi publicado.",
        "modal bot": "robot é um bot: comemorações são para pessoas.",
        "posted": "🎉 Publicado em {channel}.",
        "no channel": "Ainda não há um canal de comemorações configurado",
        "celebrated": "✅ Comemorado em {channel}. Valeu!",
        "thanks": "🎉 {lead} comemorou a sua sugestão em {channel}.",
        "for leads": "Só líderes podem celebrar; esta sugestão é para eles.",
        "moment gone": "Não encontro mais esse momento com o cliente; nada para celebrar.",
    },
    "ja-JP": {
        "nobody": "誰をお祝いしますか?メンションしてください。例: `/cx celebrate @alex",
        "no reason": "何をお祝いしますか?メンションのあとに一文を添えてください。",
        "self": "お祝いはほかの人をたたえるためのものです。",
        "unknown name": "ここには @nobody という人が見つかりません。",
        "bot": "{robot} はボットです。お祝いは人のためのものです。何も投稿されていません。",
        "modal bot": "robot はボットです。お祝いは人のためのものです。",
        "posted": "🎉 {channel} に投稿しました。",
        "no channel": "お祝い用のチャンネルがまだ設定されていないため、投稿できません。",
        "celebrated": "✅ {channel} でお祝いしました。ありがとうございます!",
        "thanks": "🎉 {lead} さんが {channel} であなたの提案をお祝いしました。",
        "for leads": "お祝いできるのはリーダーだけです。この提案はリーダー向けです。",
        "moment gone": "そのお客さまとのひとこまが見つかりません。お祝いするものはありません。",
    },
}


def expected(party: Party, locale: str, what: str) -> str:
    return EXPECTED[locale][what].format(
        robot=f"<@{party.robot}>", channel=f"<#{party.channel}>", lead=f"<@{party.lead}>"
    )


def assert_reads(party: Party, locale: str, what: str, shown: list[str]) -> None:
    """``shown`` starts with the expected wording, and no English catalog text is left."""
    wanted = expected(party, locale, what)
    assert any(s.startswith(wanted) for s in shown), f"{what}: {wanted!r} not in {shown}"
    assert english_left(LANGUAGE[locale], shown) == [], what


def _replies(party: Party, predicate: Any) -> list[str]:
    return [c.args["text"] for c in party.emulator.wait_for("response_url", predicate)[:1]]


@pytest.mark.parametrize("locale", LOCALES)
def test_a_leads_bad_and_good_input_is_answered_in_their_language(db_url: str, locale: str) -> None:
    with start_party(db_url, locales={"lee": locale}) as party:
        actor = party.stack.actor
        party.stack.run_job("sync-users")
        bad = {
            "nobody": "celebrate for nothing in particular",
            "no reason": f"celebrate <@{party.alice}>",
            "self": f"celebrate <@{party.lead}> for being me",
            "unknown name": "celebrate @nobody for the save",
        }
        for what, text in bad.items():
            reply = actor.slash_command(party.lead, text)
            assert reply.json is not None
            assert reply.json["response_type"] == "ephemeral"
            assert_reads(party, locale, what, [reply.json["text"]])

        actor.slash_command(party.lead, f"celebrate <@{party.alice}> <@{party.robot}> for X")
        assert_reads(party, locale, "bot", _replies(party, lambda c: party.robot in c.args["text"]))
        actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        party.emulator.wait_for("reactions.add")
        posted = _replies(party, lambda c: party.channel in c.args["text"])
        assert_reads(party, locale, "posted", posted)
        party.drain()
        assert len(party.posts()) == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_no_celebrations_channel_is_explained_in_the_leads_language(
    db_url: str, locale: str
) -> None:
    with start_party(db_url, locales={"lee": locale}, celebrations_channel=None) as party:
        party.stack.run_job("sync-users")
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        assert_reads(party, locale, "no channel", _replies(party, lambda c: True))
        party.drain()
        assert party.emulator.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_celebrated_suggestion_tells_the_lead_and_the_suggester_each_in_their_language(
    db_url: str, locale: str
) -> None:
    other = OTHER[locale]
    locales = {"lee": locale, "carol": other, "bob": other}
    with start_party(db_url, locales=locales) as party:
        actor, emulator = party.stack.actor, party.emulator
        party.stack.run_job("sync-users")
        # A non-lead's bad input is answered in their language too.
        reply = actor.slash_command(party.carol, "celebrate for nothing in particular")
        assert reply.json is not None
        assert_reads(party, other, "nobody", [reply.json["text"]])

        suggestion = party.suggest(f"celebrate <@{party.alice}> for the calm handover")
        emulator.wait_for("response_url", count=2)  # the refusal, then "I've suggested it"

        # Someone who is not a lead clicks the lead's button: refused in their language.
        actor.click(party.bob, message=suggestion, action_id=ids.CELEBRATE_SUGGESTED)
        refused = emulator.wait_for("response_url", count=3)[2].args["text"]
        assert_reads(party, other, "for leads", [refused])

        actor.click(party.lead, message=suggestion, action_id=ids.CELEBRATE_SUGGESTED)
        emulator.wait_for("reactions.add")
        emulator.wait_for(
            "chat.postMessage", lambda c: c.args["channel"] == emulator.dm_channel(party.carol)
        )
        party.drain()
        [updated] = party.dms(party.lead)
        assert_reads(party, locale, "celebrated", [updated["text"], *texts(updated["blocks"])])
        [thanks] = party.dms(party.carol)
        assert_reads(party, other, "thanks", [thanks["text"]])
        assert len(party.posts()) == 1


@pytest.mark.parametrize("locale", LOCALES)
def test_the_celebrate_modal_and_celebrate_this_answer_in_the_leads_language(
    db_url: str, locale: str
) -> None:
    with start_party(db_url, locales={"lee": locale}) as party:
        actor, emulator = party.stack.actor, party.emulator
        party.stack.run_job("sync-users")
        actor.slash_command(party.lead, "celebrate")
        emulator.wait_for("views.open")
        [view] = emulator.open_views.values()
        people, reason = ids.CELEBRATE_PEOPLE_BLOCK, ids.CELEBRATE_REASON_BLOCK

        bot_pick = actor.submit_view(party.lead, view, {people: [party.robot], reason: "Help"})
        assert bot_pick.json is not None
        assert_reads(party, locale, "modal bot", [bot_pick.json["errors"][people]])
        blank = actor.submit_view(party.lead, view, {people: [party.alice], reason: "  !  "})
        assert blank.json is not None
        assert_reads(party, locale, "no reason", [blank.json["errors"][reason]])

        actor.click(
            party.lead,
            message=party.celebrate_this(4242, label="🎉"),
            action_id=ids.CELEBRATE_MOMENT,
        )
        gone = _replies(party, lambda c: True)
        assert_reads(party, locale, "moment gone", gone)
        party.drain()
        assert party.posts() == []


def test_a_private_channel_the_app_is_not_in_is_explained_in_the_leads_language(
    db_url: str,
) -> None:
    with start_party(
        db_url, locales={"lee": "fr-FR"}, channel_private=True, bot_in_channel=False
    ) as party:
        party.stack.run_job("sync-users")
        party.stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the save")
        [answer] = _replies(party, lambda c: True)
        party.drain()
        channel = "#celebrations"  # as the setting names it: the app never learned its id
        assert answer == (
            f"Je ne suis pas dans {channel} et je ne peux pas le rejoindre seul (un canal privé "
            f"nécessite une invitation). Tape `/invite @CX Pulse` dans {channel}, puis relance "
            "la célébration. Rien n'a été publié."
        )
        assert english_left("fr", [answer]) == []
        assert party.posts() == []
