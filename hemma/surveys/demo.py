"""The demo's yearly survey of immigrants ("invandrarenkat") of 2025, open, with its answers.

So that the seed's two indicators counted from the survey (interpreting, question "tolkning";
family services in leisure time, "fritid-familj": examples/integrationsprogram-2023-2025.yaml)
have answers to count, and the survey's pages (building, preview, answering, results) have
something to show. The survey is written in Swedish and translated into Finnish, English and
Arabic, and built and opened through the services (hemma/surveys/services.py), so that its
audit trail and the state of its translations are the real ones. It asks about interpreting
(and, shown only to those who did not always get an interpreter, what was missing), advice in
one's own language and how well it was understood, leisure services for the family,
participation and the feeling of belonging, how long one has lived in the municipality, and
what would help most.

The answers are made up: about 180 through the five municipalities' links (most in Jakobstad,
a handful in the small municipalities, so that some results are too small to publish), mostly
in Swedish and Arabic, some in Finnish and English, in the weeks of the spring of 2025, a few
with a free text in the language they were answered in. They are stored directly, in one
transaction, and counted once at the end: the answering service (hemma/surveys/answering.py)
would date every answer this week and count the indicators again after each of them. The
same answers every time: the choices come from a `random.Random` with a fixed seed. The
survey's years before 2025 are not made: their values stay typed in (hemma/followup/demo.py).
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from hemma.followup.demo import DEFAULT_POPULATION, POPULATION
from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.registries.computing import counting_deferred
from hemma.surveys.counting import survey_answered
from hemma.surveys.models import Answer, Choice, Question, Response, Survey
from hemma.surveys.services import (
    QuestionSpec,
    choice_add,
    question_add,
    survey_create,
    survey_open,
)

KEY = "invandrarenkat"
PERIOD = "2025"
SEED = 20250303
LANGUAGES = ("sv", "fi", "en", "ar")
Kind = Question.Kind


def _t(sv: str, fi: str, en: str, ar: str) -> dict[str, str]:
    return {"sv": sv, "fi": fi, "en": en, "ar": ar}


TITLE = _t(
    "Enkät för invandrare",
    "Maahanmuuttajakysely",
    "Survey of immigrants",
    "استبيان المهاجرين",
)
INTRO = _t(
    "Vi vill veta hur kommunens service fungerar för dig som har flyttat hit från ett annat "
    "land. Enkäten är anonym: vi sparar inte ditt namn, din IP-adress eller när du svarade, "
    "bara vilken vecka. Det tar ungefär fem minuter, och du kan hoppa över frågor som du inte "
    "vill svara på.",
    "Haluamme tietää, miten kunnan palvelut toimivat sinulle, joka olet muuttanut tänne "
    "toisesta maasta. Kysely on nimetön: emme tallenna nimeäsi, IP-osoitettasi emmekä "
    "vastausaikaa, vain viikon. Vastaaminen vie noin viisi minuuttia, ja voit ohittaa "
    "kysymykset, joihin et halua vastata.",
    "We want to know how the municipality's services work for you, who have moved here from "
    "another country. The survey is anonymous: we do not store your name, your IP address or "
    "when you answered, only the week. It takes about five minutes, and you can skip any "
    "question you do not want to answer.",
    "نودّ أن نعرف رأيك في خدمات البلدية إذا كنت قد انتقلت إلى هنا من بلد آخر. الاستبيان مجهول "
    "الهوية: لا نحفظ اسمك ولا عنوان IP الخاص بك ولا وقت إجابتك، بل الأسبوع فقط. يستغرق ملؤه نحو "
    "خمس دقائق، ويمكن تخطي أي سؤال لا تودّ الإجابة عنه.",
)


@dataclass(frozen=True)
class _Question:
    key: str
    spec: QuestionSpec
    choices: tuple[tuple[str, dict[str, str]], ...] = field(default=())


QUESTIONS: tuple[_Question, ...] = (
    _Question(
        "tolkning",
        QuestionSpec(
            kind=Kind.SINGLE,
            text=_t(
                "När du har behövt tolk vid en kommunal tjänst, har du fått en tolk?",
                "Kun olet tarvinnut tulkkia kunnan palvelussa, oletko saanut tulkin?",
                "When you have needed an interpreter at a municipal service, did you get one?",
                "عندما احتجت إلى مترجم فوري في إحدى خدمات البلدية، هل حصلت على مترجم؟",
            ),
            help=_t(
                "Till exempel i skolan, på daghemmet eller vid kommunens servicepunkt.",
                "Esimerkiksi koulussa, päiväkodissa tai kunnan palvelupisteessä.",
                "For example at school, at the day care centre or at the municipality's "
                "service point.",
                "مثلًا في المدرسة أو في روضة الأطفال أو في مكتب خدمة البلدية.",
            ),
        ),
        (
            ("ja-alltid", _t("Ja, alltid", "Kyllä, aina", "Yes, always", "نعم، دائمًا")),
            (
                "ja-oftast",
                _t("Ja, oftast", "Kyllä, useimmiten", "Yes, mostly", "نعم، في أغلب الأحيان"),
            ),
            ("ja-ibland", _t("Ja, ibland", "Kyllä, joskus", "Yes, sometimes", "نعم، أحيانًا")),
            ("nej", _t("Nej", "Ei", "No", "لا")),
            (
                "behovdes-inte",
                _t(
                    "Jag har inte behövt tolk",
                    "En ole tarvinnut tulkkia",
                    "I have not needed an interpreter",
                    "لم أحتج إلى مترجم",
                ),
            ),
        ),
    ),
    _Question(
        "tolkning-saknades",
        QuestionSpec(
            kind=Kind.SHORT_TEXT,
            text=_t(
                "Vilken tolkning saknades, och var?",
                "Millaista tulkkausta jäit kaipaamaan, ja missä?",
                "What interpreting was missing, and where?",
                "ما الترجمة الفورية التي لم تتوفر، وأين؟",
            ),
            show_if_question="tolkning",
            show_if_choices=["ja-ibland", "nej"],
            max_length=300,
        ),
    ),
    _Question(
        "radgivning",
        QuestionSpec(
            kind=Kind.SINGLE,
            text=_t(
                "Har du fått rådgivning på ditt eget språk när du har behövt det?",
                "Oletko saanut neuvontaa omalla kielelläsi, kun olet tarvinnut sitä?",
                "Have you received advice in your own language when you have needed it?",
                "هل حصلت على الإرشاد بلغتك الأم عندما احتجت إليه؟",
            ),
        ),
        (
            ("ja", _t("Ja", "Kyllä", "Yes", "نعم")),
            ("delvis", _t("Delvis", "Osittain", "Partly", "جزئيًا")),
            ("nej", _t("Nej", "Ei", "No", "لا")),
            (
                "behovdes-inte",
                _t(
                    "Jag har inte behövt rådgivning",
                    "En ole tarvinnut neuvontaa",
                    "I have not needed advice",
                    "لم أحتج إلى الإرشاد",
                ),
            ),
        ),
    ),
    _Question(
        "radgivning-forstod",
        QuestionSpec(
            kind=Kind.RATING,
            text=_t(
                "Hur väl förstod du den information och rådgivning som du fick?",
                "Kuinka hyvin ymmärsit saamasi tiedon ja neuvonnan?",
                "How well did you understand the information and advice you got?",
                "إلى أي مدى فهمت المعلومات والإرشادات التي حصلت عليها؟",
            ),
            scale_min_label=_t("Inte alls", "En lainkaan", "Not at all", "لم أفهم شيئًا"),
            scale_max_label=_t("Helt och hållet", "Täysin", "Completely", "فهمت كل شيء"),
        ),
    ),
    _Question(
        "fritid-familj",
        QuestionSpec(
            kind=Kind.SINGLE,
            text=_t(
                "Hittar du fritidsservice i kommunen som passar din familj?",
                "Löydätkö kunnasta perheellesi sopivia vapaa-ajan palveluja?",
                "Do you find leisure services in the municipality that suit your family?",
                "هل تتوفر في البلدية خدمات لأوقات الفراغ تناسب عائلتك؟",
            ),
            help=_t(
                "Till exempel simhallen, biblioteket, idrottsföreningar, klubbar för barn eller "
                "evenemang för familjer.",
                "Esimerkiksi uimahalli, kirjasto, urheiluseurat, lasten kerhot tai "
                "perhetapahtumat.",
                "For example the swimming hall, the library, sports clubs, clubs for children "
                "or events for families.",
                "مثلًا المسبح والمكتبة والأندية الرياضية ونوادي الأطفال والفعاليات العائلية.",
            ),
        ),
        (
            ("ja-alltid", _t("Ja, alltid", "Kyllä, aina", "Yes, always", "نعم، دائمًا")),
            (
                "ja-oftast",
                _t("Ja, oftast", "Kyllä, useimmiten", "Yes, mostly", "نعم، في أغلب الأحيان"),
            ),
            ("ja-ibland", _t("Ja, ibland", "Kyllä, joskus", "Yes, sometimes", "نعم، أحيانًا")),
            ("nej", _t("Nej", "Ei", "No", "لا")),
            ("vet-inte", _t("Vet inte", "En osaa sanoa", "I don't know", "لا أعرف")),
        ),
    ),
    _Question(
        "deltagit",
        QuestionSpec(
            kind=Kind.MULTIPLE,
            text=_t(
                "Vilka av följande har du deltagit i under det senaste året?",
                "Mihin seuraavista olet osallistunut viimeisen vuoden aikana?",
                "Which of the following have you taken part in during the past year?",
                "في أيٍّ مما يلي شاركت خلال العام الماضي؟",
            ),
            help=_t(
                "Du kan välja flera.",
                "Voit valita useamman.",
                "You can choose more than one.",
                "يمكن اختيار أكثر من إجابة.",
            ),
        ),
        (
            (
                "forening",
                _t(
                    "En förenings verksamhet",
                    "Yhdistyksen toiminta",
                    "An association's activities",
                    "أنشطة إحدى الجمعيات",
                ),
            ),
            (
                "evenemang",
                _t(
                    "Evenemang i kommunen",
                    "Kunnan tapahtumat",
                    "Events in the municipality",
                    "فعاليات في البلدية",
                ),
            ),
            (
                "kommunalval",
                _t(
                    "Röstning i kommunalvalet",
                    "Äänestäminen kuntavaaleissa",
                    "Voting in the municipal elections",
                    "التصويت في الانتخابات البلدية",
                ),
            ),
            (
                "invanarmote",
                _t("Invånarmöten", "Asukastilaisuudet", "Residents' meetings", "اجتماعات السكان"),
            ),
            (
                "inget",
                _t("Inget av dessa", "En mihinkään näistä", "None of these", "لا شيء مما سبق"),
            ),
        ),
    ),
    _Question(
        "delaktighet",
        QuestionSpec(
            kind=Kind.RATING,
            text=_t(
                "Hur mycket känner du dig som en del av samhället här?",
                "Kuinka paljon tunnet kuuluvasi yhteisöön täällä?",
                "How much do you feel part of the community here?",
                "ما مدى شعورك بالانتماء إلى المجتمع هنا؟",
            ),
            scale_min_label=_t("Inte alls", "En lainkaan", "Not at all", "لا أشعر بذلك إطلاقًا"),
            scale_max_label=_t("Helt och hållet", "Täysin", "Completely", "أشعر بذلك تمامًا"),
        ),
    ),
    _Question(
        "bott-i-kommunen",
        QuestionSpec(
            kind=Kind.SINGLE,
            text=_t(
                "Hur länge har du bott i kommunen?",
                "Kuinka kauan olet asunut kunnassa?",
                "How long have you lived in the municipality?",
                "كم مدة إقامتك في البلدية؟",
            ),
        ),
        (
            ("under-1-ar", _t("Mindre än ett år", "Alle vuoden", "Less than a year", "أقل من سنة")),
            ("1-3-ar", _t("1–3 år", "1–3 vuotta", "1–3 years", "من سنة إلى 3 سنوات")),
            ("4-9-ar", _t("4–9 år", "4–9 vuotta", "4–9 years", "من 4 إلى 9 سنوات")),
            (
                "10-ar-eller-mer",
                _t(
                    "10 år eller längre",
                    "10 vuotta tai kauemmin",
                    "10 years or more",
                    "10 سنوات أو أكثر",
                ),
            ),
        ),
    ),
    _Question(
        "hjalp-mest",
        QuestionSpec(
            kind=Kind.LONG_TEXT,
            text=_t(
                "Vad skulle hjälpa dig mest i din vardag här?",
                "Mikä auttaisi sinua eniten arjessasi täällä?",
                "What would help you most in your everyday life here?",
                "ما أكثر ما يمكن أن يساعدك في حياتك اليومية هنا؟",
            ),
            help=_t(
                "Frivilligt. Skriv inte ditt namn eller annat som kan avslöja vem du är.",
                "Vapaaehtoinen. Älä kirjoita nimeäsi tai muuta, mistä sinut voisi tunnistaa.",
                "Optional. Do not write your name or anything else that could identify you.",
                "اختياري. يُرجى عدم كتابة اسمك أو أي شيء آخر قد يكشف هويتك.",
            ),
        ),
    ),
)

# Answers through each municipality's link (by official code): many in Jakobstad, a handful
# in the small municipalities; a municipality not named here gets DEFAULT_ANSWERS.
ANSWERS = {"598": 88, "599": 36, "893": 24, "288": 13, "440": 8}
DEFAULT_ANSWERS = 12
# The languages answered in, and how often.
ANSWER_LANGUAGES = {"sv": 34, "ar": 32, "fi": 19, "en": 15}
# The survey was open from 3 March 2025 to the end of May: many answers in the first weeks,
# more again after the reminder of mid-April.
FIRST_WEEK = datetime.date(2025, 3, 3)
WEEK_WEIGHTS = (10, 14, 9, 6, 5, 4, 9, 7, 4, 3, 3, 2, 2)

# The free texts, in the language of the answer; each is used once at most.
MISSING = {
    "sv": (
        "Tolk i arabiska på föräldramötet i skolan.",
        "Ingen tolk på socialbyrån, de sa att jag skulle ta med en vän.",
        "Daritolk på daghemmet.",
    ),
    "fi": (
        "Päiväkodin vasu-keskusteluun ei varattu tulkkia.",
        "Puhelintulkkaus katkesi kesken, eikä uutta tulkkia saatu.",
    ),
    "en": (
        "No interpreter at the parents' evening at school.",
        "Only a phone interpreter at the social services office, hard to hear.",
    ),
    "ar": (
        "لم يكن هناك مترجم في اجتماع أولياء الأمور في المدرسة.",
        "الترجمة كانت عبر الهاتف فقط، وكان الصوت غير واضح.",
        "في روضة الأطفال تحدثوا معي بالسويدية دون مترجم.",
        "لم يتوفر مترجم للغة الكردية في مكتب الخدمات الاجتماعية.",
    ),
}
HELPS = {
    "sv": (
        "Mer tid att öva svenska med någon som pratar långsamt. Språkcaféet är bra men fullt.",
        "Hjälp att få min utbildning godkänd. Jag är sjukskötare men får inte jobba som det.",
        "Att föreningarna bjuder in oss. Vi vet inte hur man blir medlem.",
        "Bättre bussar på kvällen så att vi kan gå på kurser.",
    ),
    "fi": (
        "Suomen kielen kursseja iltaisin, koska olen päivät töissä.",
        "Selkeämpää tietoa siitä, mistä saa apua asuntoasioissa.",
        "Lapsille harrastuksia, joihin ei tarvitse ilmoittautua kuukausia etukäteen.",
    ),
    "en": (
        "One web page with all the municipality's services in English.",
        "Help with getting my degree recognised so that I can work in my field.",
        "Evening Swedish classes, with childcare while we study.",
    ),
    "ar": (
        "دورات في اللغة السويدية في المساء، لأنني أعمل في النهار.",
        "معلومات واضحة باللغة العربية عن المدارس ورياض الأطفال.",
        "المساعدة في العثور على عمل يناسب شهادتي وخبرتي.",
        "أنشطة مشتركة للعائلات حتى يتعرف أطفالنا على أطفال من هنا.",
        "أن يحضر المترجم في المواعيد المهمة، لا عبر الهاتف فقط.",
    ),
}


def demo_survey_load(*, programme: Programme) -> int:
    """Build and open the demo's survey of 2025 for `programme` and store its answers, unless
    the programme has that survey already; how many answers. A second run adds nothing."""
    if Survey.objects.filter(programme=programme, key=KEY, period=PERIOD).exists():
        return 0
    municipalities = list(programme.municipalities.order_by("code"))
    if not municipalities:
        return 0
    with transaction.atomic():
        survey = _survey_build(programme)
        return _answers_store(survey, municipalities)


def _survey_build(programme: Programme) -> Survey:
    """The survey, its texts given in all four languages at once: the services mark each
    translation as made from the Swedish text, so it opens with no flag."""
    survey = survey_create(
        actor=None,
        programme=programme,
        key=KEY,
        period=PERIOD,
        title=TITLE,
        intro=INTRO,
        languages=LANGUAGES,
        source_language="sv",
    )
    for question in QUESTIONS:
        made = question_add(actor=None, survey=survey, spec=question.spec, key=question.key)
        for key, label in question.choices:
            choice_add(actor=None, question=made, label=label, key=key)
    return survey_open(actor=None, survey=survey)


class _Respondent:
    """One made-up answer, its answers made in the survey's order, each from the ones
    before (someone who has lived here long has more often voted, and feels more at home)."""

    def __init__(self, rng: random.Random, language: str, small: bool) -> None:
        self.rng = rng
        self.language = language
        self.small = small  # a small municipality has fewer interpreters and services
        self.chosen: dict[str, list[str]] = {}
        self.numbers: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def choose(self, key: str, weights: dict[str, float], skipped: float = 0.04) -> str | None:
        if self.rng.random() < skipped:
            return None
        choice = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        self.chosen[key] = [choice]
        return choice

    def write(self, key: str, pool: list[str], likely: float) -> None:
        if pool and self.rng.random() < likely:
            self.texts[key] = pool.pop()

    def answer(self, missing: list[str], helps: list[str]) -> None:
        settled = self.rng.choices(
            ["under-1-ar", "1-3-ar", "4-9-ar", "10-ar-eller-mer"],
            weights=(12, 36, 38, 14) if self.language in ("ar", "en") else (8, 24, 36, 32),
        )[0]
        # Who got an interpreter, of a hundred who needed one (fewer in a small municipality),
        # and how many beside them needed none (fewer of those who answer in Arabic or English).
        got = (38, 32, 17, 13) if self.small else (45, 33, 12, 10)
        tolkning = self.choose(
            "tolkning",
            {
                **dict(zip(("ja-alltid", "ja-oftast", "ja-ibland", "nej"), got, strict=True)),
                "behovdes-inte": {"ar": 6, "en": 14}.get(self.language, 24),
            },
        )
        if tolkning in ("ja-ibland", "nej"):
            self.write("tolkning-saknades", missing, 0.4)
        advice = self.choose(
            "radgivning",
            {
                "ja": 45,
                "delvis": 35,
                "nej": 20,
                "behovdes-inte": 10 if self.language == "ar" else 30,
            },
        )
        if advice in ("ja", "delvis") and self.rng.random() < 0.9:
            self.numbers["radgivning-forstod"] = self.rng.choice(
                (3, 4, 4, 5, 5, 5) if advice == "ja" else (2, 3, 3, 4)
            )
        self.choose(
            "fritid-familj",
            {"ja-alltid": 28, "ja-oftast": 42, "ja-ibland": 16, "nej": 7, "vet-inte": 7}
            if not self.small
            else {"ja-alltid": 22, "ja-oftast": 40, "ja-ibland": 20, "nej": 10, "vet-inte": 8},
        )
        long_here = settled in ("4-9-ar", "10-ar-eller-mer")
        likely = {
            "forening": 0.4 if long_here else 0.25,
            "evenemang": 0.45,
            # From outside the EU, voting in municipal elections takes two years in Finland.
            "kommunalval": {"under-1-ar": 0.0, "1-3-ar": 0.12}.get(settled, 0.4),
            "invanarmote": 0.1,
        }
        taken = [key for key, p in likely.items() if self.rng.random() < p]
        if self.rng.random() >= 0.05:
            self.chosen["deltagit"] = taken or ["inget"]
        if self.rng.random() >= 0.05:
            score = (
                2 + min(len(taken), 2) + (1 if long_here else 0) + self.rng.choice((-1, 0, 0, 1))
            )
            self.numbers["delaktighet"] = max(1, min(5, score))
        if self.rng.random() >= 0.03:
            self.chosen["bott-i-kommunen"] = [settled]
        self.write("hjalp-mest", helps, 0.15)


def _answers_store(survey: Survey, municipalities: Sequence[Municipality]) -> int:
    """The made-up answers, stored in two queries and counted once for every municipality."""
    rng = random.Random(SEED)
    questions = {q.key: q for q in survey.questions.prefetch_related("choices")}
    choices: dict[tuple[str, str], Choice] = {
        (key, choice.key): choice for key, q in questions.items() for choice in q.choices.all()
    }
    missing = {language: list(texts) for language, texts in MISSING.items()}
    helps = {language: list(texts) for language, texts in HELPS.items()}
    for pool in (*missing.values(), *helps.values()):
        rng.shuffle(pool)
    weeks = [FIRST_WEEK + datetime.timedelta(weeks=n) for n in range(len(WEEK_WEIGHTS))]
    responses: list[Response] = []
    answers: list[Answer] = []
    for municipality in municipalities:
        small = POPULATION.get(municipality.code, DEFAULT_POPULATION) < DEFAULT_POPULATION
        for _n in range(ANSWERS.get(municipality.code, DEFAULT_ANSWERS)):
            language = rng.choices(list(ANSWER_LANGUAGES), list(ANSWER_LANGUAGES.values()))[0]
            respondent = _Respondent(rng, language, small)
            respondent.answer(missing[language], helps[language])
            response = Response(
                survey=survey,
                municipality=municipality,
                language=language,
                week=rng.choices(weeks, WEEK_WEIGHTS)[0],
            )
            responses.append(response)
            for key, chosen in respondent.chosen.items():
                answers.extend(
                    Answer(response=response, question=questions[key], choice=choices[(key, c)])
                    for c in chosen
                )
            answers.extend(
                Answer(response=response, question=questions[key], number=Decimal(number))
                for key, number in respondent.numbers.items()
            )
            answers.extend(
                Answer(response=response, question=questions[key], text=text)
                for key, text in respondent.texts.items()
            )
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)
    with counting_deferred():
        for municipality in municipalities:
            survey_answered(survey, municipality.pk)
    return len(responses)
