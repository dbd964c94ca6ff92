"""The demo's information sites: the region's resident guide and a few municipal pages, with
their translations, distribution and a history of use.

So that the information hub's pages (the sites, a page and its blocks, the translator's
list, the public site in four languages, right to left in Arabic) have something real to
show, and the seed's "Årlig uppföljning av skapat och använt informationsmaterial" has
material to count:

- an information site for the region (/info/jakobstadsregionen/) and for each municipality
  (its Swedish name as the address: /info/jakobstad/), in Swedish, Finnish, English and
  Arabic, Jakobstad and Nykarleby also in languages of their larger groups of newcomers;
- the resident guide ("Invånarguide för trivsamt boende") on the region's site, owned by the
  housing companies and serving the seed's action `invanarguiden`: short sections on sorting
  waste, sauna and laundry turns, quiet hours, heating and airing, and whom to call for a
  fault, four picture instructions (hemma/information/demo_pictures.py), the property
  maintenance's fault line and a link, in all four languages;
- Jakobstad's page on voting and making a difference (action
  `medborgaraktivitet-och-valdeltagande`), whose Swedish was changed after its Arabic
  translation: the Arabic stays published with the notice that it is outdated, and waits in
  the translator's list; its Somali is not begun;
- Larsmo's page on health care, whose Finnish translation is missing; Nykarleby's leaflet on
  the child health clinic, with a printable PDF in each of its languages, printed and put
  out at the library and the health centre; Pedersöre's page on language courses and
  Kronoby's on leisure for families.

Everything is made through the services (hemma/information/services.py, uploads.py) by the
demo's region coordinator, the Arabic by the demo's translator, so that the revisions,
translation states and audit trail are the real ones. Then, in the demo only, the dates are
moved into the past: each language was first published on its date in 2023–2026 (what
"material created" counts), and the pages' use (views and downloads per page, language and
day, what "material used" counts) is made up from then until yesterday, tens of views a week,
more in Swedish and Finnish, some in Arabic, more each year; the same every time (a
`random.Random` seeded per page and language). The indicators counted from the pages are
counted once at the end.
"""

import datetime
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from hemma.accounts.models import Membership, User
from hemma.information import demo_pictures, services, uploads
from hemma.information.models import Block, Distribution, Page, Revision, Site, Use, Version
from hemma.organisations.models import Organisation
from hemma.programmes.models import Action, Indicator, Programme
from hemma.registries.computing import computed_values_refresh, counting_deferred

SEED = 20230501
LANGUAGES = ["sv", "fi", "en", "ar"]
# Beside LANGUAGES, the languages of a municipality's larger groups of newcomers (by code).
MORE_LANGUAGES = {"598": ["so", "fa", "uk", "ru"], "893": ["uk", "ru"]}
REGION = ""  # the region's own site, in the pages' `site` below
Kind = Block.Kind
Channel = Distribution.Channel
Words = dict[str, dict[str, str]]  # language → field → text


def _t(sv: str, fi: str, en: str, ar: str | None = None) -> dict[str, str]:
    words = {"sv": sv, "fi": fi, "en": en}
    if ar is not None:
        words["ar"] = ar
    return words


def _fields(**fields: dict[str, str]) -> Words:
    """{language: {field: text}} from keyword arguments {field: {language: text}}."""
    by_language: Words = {}
    for field_name, texts in fields.items():
        for language, text in texts.items():
            by_language.setdefault(language, {})[field_name] = text
    return by_language


def _html(sv: str, fi: str, en: str, ar: str | None = None) -> Words:
    return {language: {"html": text} for language, text in _t(sv, fi, en, ar).items()}


@dataclass(frozen=True)
class _Block:
    kind: str
    words: Words  # language → the block's fields
    picture: Callable[[], bytes] | None = None
    picture_name: str = ""
    url: str = ""
    phone: str = ""
    email: str = ""
    # A file block: language → (file name, PDF title, paragraphs)
    documents: Mapping[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Revision:
    """The source changed after the translations: the block at `block` gets `words` (the
    source's and the translations updated with it; the others are left outdated)."""

    on: datetime.date
    block: int
    words: Words


@dataclass(frozen=True)
class _Page:
    site: str  # a municipality's code, or REGION
    slug: str
    kind: str
    topic: str
    owner: str  # an organisation's key
    actions: tuple[str, ...]
    title: dict[str, str]  # the languages written: those it has a title in
    summary: dict[str, str]
    blocks: tuple[_Block, ...]
    published: Mapping[str, datetime.date]  # language → first published
    languages: tuple[str, ...] | None = None  # None: the site's
    revision: _Revision | None = None
    # How much it is read (1: WEEKLY), and busy seasons: (months, factor), a month being its
    # number (every year) or (year, number).
    reach: float = 1.0
    seasons: tuple[tuple[frozenset, float], ...] = ()
    # channel, starts on, languages, where, copies, partner's key, note
    distributions: tuple[tuple[str, datetime.date, tuple[str, ...], str, int | None, str], ...] = ()


# -- the resident guide ------------------------------------------------------------------------

GUIDE = _Page(
    site=REGION,
    slug="invanarguiden",
    kind=Page.Kind.PAGE,
    topic=Page.Topic.HOUSING,
    owner="bostadsbolagen",
    actions=("invanarguiden",),
    title=_t(
        "Invånarguide för trivsamt boende",
        "Asukasopas viihtyisään asumiseen",
        "Resident guide to pleasant living",
        "دليل السكان للعيش المريح",
    ),
    summary=_t(
        "Så fungerar vardagen i ett hyreshus: sopsortering, bastu- och tvättstugeturer, tyst "
        "tid, värme och vädring, och vart du ringer när något går sönder.",
        "Näin arki sujuu kerrostalossa: jätteiden lajittelu, sauna- ja pesutupavuorot, "
        "hiljaisuus, lämmitys ja tuuletus sekä se, minne soitat, kun jokin menee rikki.",
        "How everyday life works in a block of flats: sorting waste, sauna and laundry turns, "
        "quiet hours, heating and airing, and whom to call when something breaks.",
        "كيف تسير الحياة اليومية في مبنى سكني: فرز النفايات، ومواعيد الساونا وغرفة الغسيل، "
        "وساعات الهدوء، والتدفئة والتهوية، وبمن تتصل عند حدوث عطل.",
    ),
    blocks=(
        _Block(
            Kind.TEXT,
            _html(
                "<p>Välkommen till ditt nya hem! I ett hyreshus bor många människor nära "
                "varandra. När alla följer samma enkla regler blir boendet tryggt och trivsamt "
                "för alla. Läs också husets ordningsregler. De finns i trapphuset, eller så "
                "kan du fråga hyresvärden.</p>",
                "<p>Tervetuloa uuteen kotiisi! Kerrostalossa monet ihmiset asuvat lähellä "
                "toisiaan. Kun kaikki noudattavat samoja yksinkertaisia sääntöjä, asuminen on "
                "turvallista ja viihtyisää kaikille. Lue myös talon järjestyssäännöt. Ne ovat "
                "porraskäytävässä, tai voit kysyä niitä vuokranantajalta.</p>",
                "<p>Welcome to your new home! In a block of flats, many people live close to "
                "each other. When everyone follows the same simple rules, living here is safe "
                "and pleasant for all. Also read the house rules. You find them in the "
                "stairwell, or you can ask your landlord.</p>",
                "<p>أهلًا بك في منزلك الجديد! في المبنى السكني يعيش كثير من الناس قريبين بعضهم "
                "من بعض. وعندما يتبع الجميع القواعد البسيطة نفسها، يصبح السكن آمنًا ومريحًا "
                "للجميع. اقرأ أيضًا النظام الداخلي للمبنى، وتجده في مدخل الدرج، أو يمكنك أن "
                "تطلبه من المؤجر.</p>",
            ),
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>Sortera avfallet</h2><p>Sortera ditt avfall hemma och för det till rätt "
                "kärl i husets soptak:</p><ul>"
                "<li><strong>Bioavfall:</strong> matrester, kaffesump och hushållspapper. "
                "Använd en papperspåse.</li>"
                "<li><strong>Kartong:</strong> mjölkpaket och pappkartonger, hoptryckta.</li>"
                "<li><strong>Papper:</strong> tidningar, reklam och kuvert.</li>"
                "<li><strong>Glas:</strong> tomma glasflaskor och glasburkar.</li>"
                "<li><strong>Metall:</strong> konservburkar och metallock.</li>"
                "<li><strong>Plast:</strong> tomma och rena plastförpackningar.</li>"
                "<li><strong>Blandavfall:</strong> det som inte går att sortera.</li></ul>"
                "<p>Möbler, elapparater och farligt avfall, till exempel batterier och färg, "
                "får inte lämnas i soptaket. Fråga hyresvärden eller återvinningscentralen "
                "var du kan lämna dem.</p>",
                "<h2>Lajittele jätteet</h2><p>Lajittele jätteet kotona ja vie ne oikeaan "
                "astiaan talon jätekatokseen:</p><ul>"
                "<li><strong>Biojäte:</strong> ruoantähteet, kahvinporot ja talouspaperi. "
                "Käytä paperipussia.</li>"
                "<li><strong>Kartonki:</strong> maitotölkit ja pahvipakkaukset "
                "litistettyinä.</li>"
                "<li><strong>Paperi:</strong> sanomalehdet, mainokset ja kirjekuoret.</li>"
                "<li><strong>Lasi:</strong> tyhjät lasipullot ja -purkit.</li>"
                "<li><strong>Metalli:</strong> säilyketölkit ja metallikannet.</li>"
                "<li><strong>Muovi:</strong> tyhjät ja puhtaat muovipakkaukset.</li>"
                "<li><strong>Sekajäte:</strong> jäte, jota ei voi lajitella.</li></ul>"
                "<p>Huonekaluja, sähkölaitteita ja vaarallisia jätteitä, esimerkiksi paristoja "
                "ja maaleja, ei saa jättää jätekatokseen. Kysy vuokranantajalta tai "
                "kierrätyskeskuksesta, minne voit viedä ne.</p>",
                "<h2>Sort your waste</h2><p>Sort your waste at home and take it to the right "
                "bin in the building's waste shelter:</p><ul>"
                "<li><strong>Biowaste:</strong> food scraps, coffee grounds and kitchen paper. "
                "Use a paper bag.</li>"
                "<li><strong>Cardboard:</strong> milk cartons and cardboard boxes, "
                "flattened.</li>"
                "<li><strong>Paper:</strong> newspapers, advertisements and envelopes.</li>"
                "<li><strong>Glass:</strong> empty glass bottles and jars.</li>"
                "<li><strong>Metal:</strong> tins and metal lids.</li>"
                "<li><strong>Plastic:</strong> empty, clean plastic packaging.</li>"
                "<li><strong>Mixed waste:</strong> whatever cannot be sorted.</li></ul>"
                "<p>Furniture, electrical appliances and hazardous waste, such as batteries "
                "and paint, must not be left in the waste shelter. Ask your landlord or the "
                "recycling centre where you can take them.</p>",
                "<h2>فرز النفايات</h2><p>افرز نفاياتك في المنزل، ثم ضعها في الحاوية الصحيحة "
                "في مكان جمع النفايات التابع للمبنى:</p><ul>"
                "<li><strong>النفايات العضوية:</strong> بقايا الطعام وتفل القهوة والمناديل "
                "الورقية. استخدم كيسًا ورقيًا.</li>"
                "<li><strong>الكرتون:</strong> علب الحليب وصناديق الكرتون بعد طيّها.</li>"
                "<li><strong>الورق:</strong> الصحف والإعلانات والأظرف.</li>"
                "<li><strong>الزجاج:</strong> الزجاجات والمرطبانات الزجاجية الفارغة.</li>"
                "<li><strong>المعادن:</strong> علب المعلبات والأغطية المعدنية.</li>"
                "<li><strong>البلاستيك:</strong> العبوات البلاستيكية الفارغة والنظيفة.</li>"
                "<li><strong>النفايات المختلطة:</strong> كل ما لا يمكن فرزه.</li></ul>"
                "<p>لا يجوز ترك الأثاث والأجهزة الكهربائية والنفايات الخطرة، مثل البطاريات "
                "والطلاء، في مكان جمع النفايات. اسأل المؤجر أو مركز إعادة التدوير عن المكان "
                "الذي يمكنك أن تسلّمها فيه.</p>",
            ),
        ),
        _Block(
            Kind.PICTURE,
            _fields(
                caption=_t(
                    "Bilden på kärlet visar vad som hör dit.",
                    "Astian kuva näyttää, mitä siihen kuuluu.",
                    "The picture on each bin shows what goes in it.",
                    "تبيّن الصورة على كل حاوية ما يوضع فيها.",
                ),
                alt=_t(
                    "Sju soptunnor i rad, var och en med sin färg och sin bild: ett "
                    "äppelskrutt för bioavfall, en kartong, en tidning, en glasflaska, en "
                    "konservburk för metall, en plastflaska och en soppåse för blandavfall.",
                    "Seitsemän jäteastiaa rivissä, kussakin oma värinsä ja kuvansa: omenan "
                    "jäänne biojätteelle, pahvilaatikko, sanomalehti, lasipullo, säilyketölkki "
                    "metallille, muovipullo ja roskapussi sekajätteelle.",
                    "Seven bins in a row, each with its own colour and picture: an apple core "
                    "for biowaste, a cardboard box, a newspaper, a glass bottle, a tin can for "
                    "metal, a plastic bottle and a rubbish bag for mixed waste.",
                    "سبع حاويات نفايات متجاورة، لكل منها لونها وصورتها: بقايا تفاحة للنفايات "
                    "العضوية، وصندوق كرتون، وصحيفة، وزجاجة زجاجية، وعلبة معدنية للمعادن، "
                    "وزجاجة بلاستيكية، وكيس قمامة للنفايات المختلطة.",
                ),
            ),
            picture=demo_pictures.waste_bins,
            picture_name="sopsortering.png",
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>Bastu- och tvättstugeturer</h2><p>Huset har en gemensam bastu och en "
                "tvättstuga. Boka en tur på bokningstavlan eller i husets bokningssystem. Kom "
                "i tid och håll dig till din egen tur.</p><ul>"
                "<li>Städa efter dig: torka av maskinerna och töm luddfiltret i "
                "torktumlaren.</li>"
                "<li>Hämta din tvätt från torkrummet när den är torr.</li>"
                "<li>Om du inte kan komma, avboka turen så att någon annan kan använda "
                "den.</li></ul>",
                "<h2>Sauna- ja pesutupavuorot</h2><p>Talossa on yhteinen sauna ja pesutupa. "
                "Varaa vuoro varaustaululta tai talon varausjärjestelmästä. Tule ajoissa ja "
                "pysy omassa vuorossasi.</p><ul>"
                "<li>Siivoa jälkesi: pyyhi koneet ja tyhjennä kuivausrummun "
                "nukkasihti.</li>"
                "<li>Hae pyykkisi kuivaushuoneesta, kun se on kuivunut.</li>"
                "<li>Jos et pääse, peru vuoro, jotta joku muu voi käyttää sen.</li></ul>",
                "<h2>Sauna and laundry turns</h2><p>The building has a shared sauna and a "
                "laundry room. Book a turn on the booking board or in the building's booking "
                "system. Come on time and keep to your own turn.</p><ul>"
                "<li>Clean up after yourself: wipe the machines and empty the lint filter of "
                "the tumble dryer.</li>"
                "<li>Collect your laundry from the drying room when it is dry.</li>"
                "<li>If you cannot come, cancel your turn so that someone else can use "
                "it.</li></ul>",
                "<h2>مواعيد الساونا وغرفة الغسيل</h2><p>في المبنى ساونا مشتركة وغرفة غسيل "
                "مشتركة. احجز موعدك على لوحة الحجز أو في نظام الحجز الخاص بالمبنى. احضر في "
                "الوقت المحدد والتزم بموعدك.</p><ul>"
                "<li>نظّف المكان بعد استخدامه: امسح الغسالات وأفرغ مصفاة الوبر في مجفف "
                "الملابس.</li>"
                "<li>اجمع غسيلك من غرفة التجفيف عندما يجف.</li>"
                "<li>إذا لم تستطع الحضور، فألغِ موعدك ليتمكن غيرك من استخدامه.</li></ul>",
            ),
        ),
        _Block(
            Kind.PICTURE,
            _fields(
                caption=_t(
                    "Boka en tur på tavlan och tvätta bara under din egen tur.",
                    "Varaa vuoro taululta ja pese pyykkiä vain omalla vuorollasi.",
                    "Book a turn on the board and do your washing only during your own turn.",
                    "احجز موعدًا على اللوحة، واغسل ملابسك في موعدك فقط.",
                ),
                alt=_t(
                    "En bokningstavla med veckans sju dagar och tre turer per dag: morgon, dag "
                    "och kväll. Några turer är bokade med ett bokningslås. Bredvid tavlan står "
                    "en tvättmaskin.",
                    "Varaustaulu, jossa on viikon seitsemän päivää ja kolme vuoroa päivässä: "
                    "aamu, päivä ja ilta. Osa vuoroista on varattu varauslukolla. Taulun "
                    "vieressä on pesukone.",
                    "A booking board with the seven days of the week and three turns a day: "
                    "morning, day and evening. Some turns are booked with a booking lock. Next "
                    "to the board is a washing machine.",
                    "لوحة حجز عليها أيام الأسبوع السبعة وثلاثة مواعيد في كل يوم: الصباح والنهار "
                    "والمساء. بعض المواعيد محجوزة بقفل حجز. وبجانب اللوحة غسالة ملابس.",
                ),
            ),
            picture=demo_pictures.laundry_board,
            picture_name="tvattstuga.png",
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>Tyst tid</h2><p>Nattro gäller vanligen klockan 22–7. Då ska det vara "
                "tyst i huset: spela inte hög musik, använd inte tvättmaskin eller "
                "dammsugare, och stäng dörrarna tyst. Kontrollera tiderna i husets "
                "ordningsregler. Visa hänsyn mot grannarna också på dagen. Om du ska ha fest, "
                "berätta det för grannarna i förväg.</p>",
                "<h2>Hiljaisuus</h2><p>Yöhiljaisuus on yleensä kello 22–7. Silloin talossa on "
                "oltava hiljaista: älä soita kovaa musiikkia, älä käytä pesukonetta tai "
                "pölynimuria ja sulje ovet hiljaa. Tarkista ajat talon järjestyssäännöistä. "
                "Ota naapurit huomioon myös päivällä. Jos aiot pitää juhlat, kerro siitä "
                "naapureille etukäteen.</p>",
                "<h2>Quiet hours</h2><p>Night-time quiet is usually from 10 pm to 7 am. Then "
                "the building must be quiet: do not play loud music, do not use the washing "
                "machine or the vacuum cleaner, and close doors quietly. Check the times in "
                "the house rules. Show consideration for your neighbours during the day too. "
                "If you are having a party, tell your neighbours in advance.</p>",
                "<h2>ساعات الهدوء</h2><p>تمتد ساعات الهدوء الليلي عادةً من الساعة العاشرة "
                "مساءً حتى السابعة صباحًا. ويجب أن يسود الهدوء في المبنى خلالها: لا تشغّل "
                "الموسيقى بصوت عالٍ، ولا تستخدم الغسالة أو المكنسة الكهربائية، وأغلق الأبواب "
                "بهدوء. تحقق من المواعيد في النظام الداخلي للمبنى. وراعِ جيرانك في النهار "
                "أيضًا. وإذا كنت ستقيم حفلة، فأخبر جيرانك مسبقًا.</p>",
            ),
        ),
        _Block(
            Kind.PICTURE,
            _fields(
                caption=_t(
                    "Klockan 22–7 är det nattro i hela huset.",
                    "Kello 22–7 koko talossa on yöhiljaisuus.",
                    "From 10 pm to 7 am it is night-time quiet in the whole building.",
                    "من الساعة العاشرة مساءً حتى السابعة صباحًا تسود ساعات الهدوء الليلي في "
                    "المبنى كله.",
                ),
                alt=_t(
                    "En måne och stjärnor på en mörkblå himmel, en klocka som visar klockan "
                    "tio och en överkorsad högtalare.",
                    "Kuu ja tähtiä tummansinisellä taivaalla, kello, joka näyttää kymmentä, "
                    "ja yliviivattu kaiutin.",
                    "A moon and stars in a dark blue sky, a clock showing ten o'clock and a "
                    "crossed-out loudspeaker.",
                    "قمر ونجوم في سماء زرقاء داكنة، وساعة تشير إلى العاشرة، ومكبّر صوت عليه "
                    "علامة منع.",
                ),
            ),
            picture=demo_pictures.quiet_hours,
            picture_name="nattro.png",
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>Värme och vädring</h2><p>En lämplig temperatur inomhus är cirka 20–22 "
                "grader. Täck inte elementen med möbler eller gardiner, så att värmen sprids i "
                "rummet. Om det är för varmt, vrid ner termostaten på elementet i stället för "
                "att öppna fönstret.</p><p>Vädra kort, 5–10 minuter med fönstret helt öppet, "
                "hellre än att ha det på glänt länge. Täpp inte till ventilerna. Använd "
                "köksfläkten när du lagar mat, och låt dörren till badrummet stå öppen efter "
                "duschen, så att fukten inte orsakar mögel.</p>",
                "<h2>Lämmitys ja tuuletus</h2><p>Sopiva sisälämpötila on noin 20–22 astetta. "
                "Älä peitä pattereita huonekaluilla tai verhoilla, jotta lämpö leviää "
                "huoneeseen. Jos on liian lämmintä, käännä patterin termostaattia pienemmälle "
                "sen sijaan, että avaisit ikkunan.</p><p>Tuuleta lyhyesti, 5–10 minuuttia "
                "ikkuna kokonaan auki, mieluummin kuin pidät ikkunaa pitkään raollaan. Älä "
                "tuki ilmanvaihtoventtiilejä. Käytä liesituuletinta, kun laitat ruokaa, ja "
                "jätä kylpyhuoneen ovi auki suihkun jälkeen, jotta kosteus ei aiheuta "
                "hometta.</p>",
                "<h2>Heating and airing</h2><p>A suitable indoor temperature is about 20–22 "
                "degrees. Do not cover the radiators with furniture or curtains, so that the "
                "heat spreads into the room. If it is too warm, turn the radiator's thermostat "
                "down instead of opening the window.</p><p>Air the room briefly, 5–10 minutes "
                "with the window wide open, rather than keeping it ajar for a long time. Do "
                "not block the air vents. Use the cooker hood when you cook, and leave the "
                "bathroom door open after a shower, so that the damp does not cause "
                "mould.</p>",
                "<h2>التدفئة والتهوية</h2><p>درجة الحرارة المناسبة داخل المنزل نحو 20–22 درجة "
                "مئوية. لا تغطِّ المدافئ بالأثاث أو الستائر، حتى تنتشر الحرارة في الغرفة. "
                "وإذا كان الجو حارًّا أكثر من اللازم، فاخفض منظم الحرارة في المدفأة بدلًا من "
                "فتح النافذة.</p><p>هوِّ الغرفة مدة قصيرة، من 5 إلى 10 دقائق والنافذة مفتوحة "
                "بالكامل، بدلًا من تركها مواربة وقتًا طويلًا. لا تسدّ فتحات التهوية. شغّل شفاط "
                "المطبخ عند الطبخ، واترك باب الحمام مفتوحًا بعد الاستحمام، حتى لا تسبب "
                "الرطوبة العفن.</p>",
            ),
        ),
        _Block(
            Kind.PICTURE,
            _fields(
                caption=_t(
                    "Håll elementet fritt och vädra kort med fönstret helt öppet.",
                    "Pidä patteri vapaana ja tuuleta lyhyesti ikkuna kokonaan auki.",
                    "Keep the radiator free, and air the room briefly with the window wide open.",
                    "اترك المدفأة مكشوفة، وهوِّ الغرفة مدة قصيرة والنافذة مفتوحة بالكامل.",
                ),
                alt=_t(
                    "Ett element med termostat och inga möbler framför. Ovanför det ett "
                    "vidöppet fönster där blå pilar visar frisk luft som strömmar in. Bredvid "
                    "en termometer och en klocka där tio minuter är markerade.",
                    "Patteri, jossa on termostaatti ja jonka edessä ei ole huonekaluja. Sen "
                    "yläpuolella on selälleen avattu ikkuna, josta siniset nuolet näyttävät "
                    "raikkaan ilman virtaavan sisään. Vieressä on lämpömittari ja kello, "
                    "johon on merkitty kymmenen minuuttia.",
                    "A radiator with a thermostat and no furniture in front of it. Above it, a "
                    "wide-open window with blue arrows showing fresh air coming in. Beside "
                    "them, a thermometer and a clock with ten minutes marked on it.",
                    "مدفأة عليها منظم حرارة ولا أثاث أمامها. وفوقها نافذة مفتوحة بالكامل تُظهر "
                    "فيها أسهم زرقاء الهواء النقي وهو يدخل. وبجانبهما مقياس حرارة وساعة حُدِّدت "
                    "عليها عشر دقائق.",
                ),
            ),
            picture=demo_pictures.radiator_window,
            picture_name="varme-och-vadring.png",
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>När något går sönder</h2><p>Om något i bostaden går sönder, till exempel "
                "en kran som droppar, ett element som inte blir varmt eller ett lås som inte "
                "fungerar, anmäl det genast till fastighetsskötseln. Ett litet läckage kan bli "
                "en stor vattenskada om du väntar. Hyresvärden reparerar fel som beror på "
                "normalt slitage. Om du själv har orsakat skadan kan du få betala "
                "reparationen.</p><p>Vid brand eller annan fara: ring nödnumret "
                "<strong>112</strong>.</p>",
                "<h2>Kun jokin menee rikki</h2><p>Jos asunnossa menee jotain rikki, "
                "esimerkiksi hana vuotaa, patteri ei lämpene tai lukko ei toimi, ilmoita "
                "siitä heti kiinteistöhuoltoon. Pienestä vuodosta voi tulla suuri vesivahinko, "
                "jos odotat. Vuokranantaja korjaa tavallisesta kulumisesta johtuvat viat. Jos "
                "olet itse aiheuttanut vahingon, voit joutua maksamaan korjauksen.</p>"
                "<p>Tulipalon tai muun vaaran sattuessa soita hätänumeroon "
                "<strong>112</strong>.</p>",
                "<h2>When something breaks</h2><p>If something in your flat breaks, for "
                "example a dripping tap, a radiator that does not get warm or a lock that does "
                "not work, report it to the property maintenance at once. A small leak can "
                "become serious water damage if you wait. The landlord repairs faults caused "
                "by normal wear. If you caused the damage yourself, you may have to pay for "
                "the repair.</p><p>In case of fire or other danger, call the emergency number "
                "<strong>112</strong>.</p>",
                "<h2>عندما يتعطل شيء ما</h2><p>إذا تعطل شيء في شقتك، مثل صنبور يقطر أو مدفأة لا "
                "تسخن أو قفل لا يعمل، فأبلغ خدمة صيانة العقار فورًا. فالتسرب الصغير قد يتحول "
                "إلى ضرر كبير بسبب المياه إذا انتظرت. يصلح المؤجر الأعطال الناتجة عن "
                "الاستعمال العادي، أما إذا تسببت أنت في الضرر، فقد يُطلب منك دفع تكاليف "
                "الإصلاح.</p><p>في حالة الحريق أو أي خطر آخر، اتصل برقم الطوارئ "
                "<strong>112</strong>.</p>",
            ),
        ),
        _Block(
            Kind.CONTACT,
            _fields(
                name=_t(
                    "Fastighetsskötselns felanmälan",
                    "Kiinteistöhuollon vikailmoitukset",
                    "Property maintenance: reporting a fault",
                    "صيانة العقار: الإبلاغ عن عطل",
                ),
                details=_t(
                    "Vardagar kl. 7–15. Kvällar och veckoslut: jouren, i brådskande fall som "
                    "ett vattenläckage.",
                    "Arkisin klo 7–15. Iltaisin ja viikonloppuisin päivystys kiireellisissä "
                    "asioissa, kuten vesivuodoissa.",
                    "Weekdays 7 am to 3 pm. Evenings and weekends: the on-call service, for "
                    "urgent cases such as a water leak.",
                    "أيام العمل من الساعة 7 صباحًا حتى 3 عصرًا. في المساء وفي عطلة نهاية "
                    "الأسبوع: خدمة الطوارئ للحالات العاجلة، مثل تسرّب المياه.",
                ),
            ),
            # Demo data: not a real number or address (".example" is reserved for examples).
            phone="+358 6 000 1234",
            email="felanmalan@bostadsbolagen.example",
        ),
        _Block(
            Kind.LINK,
            _fields(
                label=_t(
                    "Mer om boende i Finland på InfoFinland.fi, på många språk",
                    "Lisää asumisesta Suomessa InfoFinland.fi-sivustolla monella kielellä",
                    "More about housing in Finland on InfoFinland.fi, in many languages",
                    "المزيد عن السكن في فنلندا على موقع InfoFinland.fi بلغات عديدة",
                ),
            ),
            url="https://www.infofinland.fi/",
        ),
    ),
    published={
        "sv": datetime.date(2023, 5, 15),
        "fi": datetime.date(2023, 6, 5),
        "en": datetime.date(2023, 9, 11),
        "ar": datetime.date(2024, 2, 19),
    },
    reach=1.4,
    # Moving time: the end of summer, when students and families move in.
    seasons=((frozenset({8, 9}), 1.8),),
    distributions=(
        (Channel.WEB, datetime.date(2023, 5, 15), (), "", None, ""),
        (
            Channel.PRINT,
            datetime.date(2023, 6, 1),
            ("sv", "fi"),
            "Bostadsbolagens kontor: ges till nya hyresgäster",
            300,
            "",
        ),
        (
            Channel.PRINT,
            datetime.date(2024, 3, 4),
            ("en", "ar"),
            "Bostadsbolagens kontor och Welcome Office",
            150,
            "",
        ),
    ),
)


# -- voting and making a difference (Jakobstad) ------------------------------------------------

_VOTING_WHO = _html(
    "<h2>Vem får rösta?</h2><p>I kommunalvalet och välfärdsområdesvalet får du rösta om du "
    "har fyllt 18 år senast på valdagen och din hemkommun är i Finland. Du behöver inte vara "
    "finsk medborgare. Om du är medborgare i ett land utanför EU, Island och Norge, ska du ha "
    "haft hemkommun i Finland i minst två år.</p><p>I riksdagsvalet och presidentvalet får "
    "bara finska medborgare rösta.</p>",
    "<h2>Kuka saa äänestää?</h2><p>Kuntavaaleissa ja aluevaaleissa saat äänestää, jos olet "
    "täyttänyt 18 vuotta viimeistään vaalipäivänä ja kotikuntasi on Suomessa. Sinun ei "
    "tarvitse olla Suomen kansalainen. Jos olet muun kuin EU-maan, Islannin tai Norjan "
    "kansalainen, sinulla on pitänyt olla kotikunta Suomessa vähintään kaksi vuotta.</p>"
    "<p>Eduskuntavaaleissa ja presidentinvaalissa saavat äänestää vain Suomen "
    "kansalaiset.</p>",
    "<h2>Who can vote?</h2><p>In the municipal elections and the county elections, you can "
    "vote if you are 18 or older on election day and your municipality of residence is in "
    "Finland. You do not need to be a Finnish citizen. If you are a citizen of a country "
    "outside the EU, Iceland and Norway, you must have had a municipality of residence in "
    "Finland for at least two years.</p><p>In the parliamentary and presidential elections, "
    "only Finnish citizens can vote.</p>",
    "<h2>من يحق له التصويت؟</h2><p>يحق لك التصويت في الانتخابات البلدية وانتخابات المناطق "
    "إذا كان عمرك 18 عامًا على الأقل يوم الانتخابات، وكانت بلدية إقامتك في فنلندا. ولا يُشترط "
    "أن تكون مواطنًا فنلنديًا. وإذا كنت مواطنًا في بلد من خارج الاتحاد الأوروبي وآيسلندا "
    "والنرويج، فيجب أن تكون لك بلدية إقامة في فنلندا منذ سنتين على الأقل.</p><p>أما "
    "الانتخابات البرلمانية والرئاسية، فلا يصوّت فيها إلا المواطنون الفنلنديون.</p>",
)


def _voting_how(id_sv: str, id_fi: str, id_en: str, id_ar: str | None = None) -> Words:
    return _html(
        "<h2>Så röstar du</h2><p>Före valet får du ett meddelandekort med posten. Där står "
        f"var du kan rösta. {id_sv}</p><ul><li><strong>Förhandsröstning:</strong> i en "
        "vecka före valdagen kan du rösta på vilket förhandsröstningsställe som helst i "
        "Finland, till exempel i stadshuset eller på biblioteket.</li><li><strong>På "
        "valdagen:</strong> du röstar i ditt eget röstningsställe, som står på "
        "meddelandekortet.</li></ul><p>Du väljer en kandidat och skriver kandidatens nummer "
        "på röstsedeln. Ingen får se hur du röstar.</p>",
        "<h2>Näin äänestät</h2><p>Ennen vaaleja saat postissa ilmoituskortin. Siinä kerrotaan, "
        f"missä voit äänestää. {id_fi}</p><ul><li><strong>Ennakkoäänestys:</strong> viikon "
        "ajan ennen vaalipäivää voit äänestää missä tahansa ennakkoäänestyspaikassa Suomessa, "
        "esimerkiksi kaupungintalolla tai kirjastossa.</li><li><strong>Vaalipäivänä:</strong> "
        "äänestät omassa äänestyspaikassasi, joka on merkitty ilmoituskorttiin.</li></ul>"
        "<p>Valitset yhden ehdokkaan ja kirjoitat hänen numeronsa äänestyslippuun. Kukaan ei "
        "saa nähdä, miten äänestät.</p>",
        "<h2>How to vote</h2><p>Before the elections, you receive a notice card by post. It "
        f"tells you where you can vote. {id_en}</p><ul><li><strong>Advance voting:</strong> "
        "for a week before election day, you can vote at any advance polling station in "
        "Finland, for example at the town hall or the library.</li><li><strong>On election "
        "day:</strong> you vote at your own polling station, which is named on the notice "
        "card.</li></ul><p>You choose one candidate and write the candidate's number on the "
        "ballot paper. No one may see how you vote.</p>",
        None
        if id_ar is None
        else "<h2>كيف تصوّت</h2><p>قبل الانتخابات تصلك بالبريد بطاقة إشعار، مكتوب فيها "
        f"المكان الذي يمكنك التصويت فيه. {id_ar}</p><ul><li><strong>التصويت المسبق:</strong> "
        "خلال الأسبوع الذي يسبق يوم الانتخابات يمكنك التصويت في أي مركز للتصويت المسبق في "
        "فنلندا، مثل مبنى البلدية أو المكتبة.</li><li><strong>يوم الانتخابات:</strong> تصوّت "
        "في مركز الاقتراع الخاص بك، وهو مذكور في بطاقة الإشعار.</li></ul><p>تختار مرشحًا واحدًا "
        "وتكتب رقمه على ورقة الاقتراع، ولا يحق لأحد أن يرى لمن تصوّت.</p>",
    )


VOTING = _Page(
    site="598",
    slug="rosta-och-paverka",
    kind=Page.Kind.PAGE,
    topic=Page.Topic.PARTICIPATION,
    owner="kommunen",
    actions=("medborgaraktivitet-och-valdeltagande",),
    title=_t(
        "Rösta och påverka i Jakobstad",
        "Äänestä ja vaikuta Pietarsaaressa",
        "Vote and make a difference in Jakobstad",
        "صوِّت وشارك في القرار في ياكوبستاد",
    ),
    summary=_t(
        "Vem får rösta i kommunalvalet och välfärdsområdesvalet, hur röstar man, och hur kan "
        "du påverka i din stad mellan valen?",
        "Kuka saa äänestää kuntavaaleissa ja aluevaaleissa, miten äänestetään ja miten voit "
        "vaikuttaa kaupungissasi vaalien välillä?",
        "Who can vote in the municipal and county elections, how do you vote, and how can "
        "you make a difference in your town between elections?",
        "من يحق له التصويت في الانتخابات البلدية وانتخابات المناطق، وكيف يتم التصويت، وكيف "
        "يمكنك المشاركة في شؤون مدينتك بين الانتخابات؟",
    ),
    languages=("sv", "fi", "en", "ar", "so"),
    blocks=(
        _Block(Kind.TEXT, _VOTING_WHO),
        _Block(
            Kind.TEXT,
            _voting_how(
                "Ta med ett identitetsbevis.",
                "Ota mukaan henkilöllisyystodistus.",
                "Bring an identity document.",
                "أحضر معك وثيقة إثبات الهوية.",
            ),
        ),
        _Block(
            Kind.TEXT,
            _html(
                "<h2>Påverka mellan valen</h2><p>Alla som bor i Jakobstad kan lämna ett "
                "invånarinitiativ till staden, på papper eller på webbplatsen "
                "kuntalaisaloite.fi. Du kan också delta i invånarmöten, svara på stadens "
                "enkäter och kontakta stadens förtroendevalda.</p>",
                "<h2>Vaikuta vaalien välillä</h2><p>Jokainen pietarsaarelainen voi tehdä "
                "kaupungille kuntalaisaloitteen paperilla tai kuntalaisaloite.fi-sivustolla. "
                "Voit myös osallistua asukastilaisuuksiin, vastata kaupungin kyselyihin ja "
                "ottaa yhteyttä kaupungin luottamushenkilöihin.</p>",
                "<h2>Make a difference between elections</h2><p>Everyone who lives in "
                "Jakobstad can make a residents' initiative to the town, on paper or on the "
                "website kuntalaisaloite.fi. You can also take part in residents' meetings, "
                "answer the town's surveys and contact the town's elected officials.</p>",
                "<h2>شارك بين الانتخابات</h2><p>يحق لكل من يسكن في ياكوبستاد أن يقدّم مبادرة "
                "سكان إلى المدينة، على الورق أو عبر موقع kuntalaisaloite.fi. ويمكنك أيضًا "
                "حضور اجتماعات السكان، والإجابة عن استبيانات المدينة، والتواصل مع المسؤولين "
                "المنتخبين في المدينة.</p>",
            ),
        ),
        _Block(
            Kind.LINK,
            _fields(
                label=_t(
                    "Justitieministeriets valsidor: vaalit.fi",
                    "Oikeusministeriön vaalisivut: vaalit.fi",
                    "The Ministry of Justice's election pages: vaalit.fi",
                    "صفحات الانتخابات لوزارة العدل: vaalit.fi",
                ),
            ),
            url="https://vaalit.fi/",
        ),
    ),
    published={
        "sv": datetime.date(2024, 9, 16),
        "fi": datetime.date(2024, 9, 23),
        "ar": datetime.date(2024, 10, 28),
        "en": datetime.date(2025, 1, 13),
    },
    # Before the elections of April 2025 the identity documents were spelt out: the Swedish
    # changed, the Finnish and English were updated with it, the Arabic not (yet).
    revision=_Revision(
        on=datetime.date(2025, 2, 24),
        block=1,
        words=_voting_how(
            "Ta med ett identitetsbevis med foto: pass, identitetskort eller körkort. "
            "FPA-kortet duger inte.",
            "Ota mukaan kuvallinen henkilöllisyystodistus: passi, henkilökortti tai ajokortti. "
            "Kela-kortti ei kelpaa.",
            "Bring an identity document with a photo: a passport, an identity card or a "
            "driving licence. A Kela card will not do.",
        ),
    ),
    reach=0.8,
    # The municipal and county elections of 13 April 2025.
    seasons=(
        (frozenset({(2025, 3), (2025, 4)}), 4.0),
        (frozenset({(2025, 2)}), 1.8),
    ),
    distributions=(
        (Channel.WEB, datetime.date(2024, 9, 16), (), "", None, ""),
        (
            Channel.SOCIAL,
            datetime.date(2025, 3, 10),
            ("sv", "fi", "en", "ar"),
            "Stadens Facebook- och Instagramkonton",
            None,
            "",
        ),
        (
            Channel.PARTNER,
            datetime.date(2025, 3, 17),
            ("sv", "ar"),
            "Föregångarnas WhatsApp-grupper för unga",
            None,
            "foregangarna",
        ),
    ),
)


# -- health care (Larsmo): the Finnish translation is missing ----------------------------------

HEALTH = _Page(
    site="440",
    slug="halsa-och-vard",
    kind=Page.Kind.PAGE,
    topic=Page.Topic.HEALTH,
    owner="valfardsomradet",
    actions=("social-och-halsovardstjanster", "aktuell-information"),
    title={
        "sv": "Hälsovård i Larsmo",
        "en": "Health care in Larsmo",
        "ar": "الرعاية الصحية في لارسمو",
        "fa": "مراقبت‌های بهداشتی در لارسمو",
    },
    summary={
        "sv": "Vart du vänder dig när du blir sjuk, när det är bråttom och när du behöver tolk.",
        "en": "Where to turn when you fall ill, when it is urgent and when you need an "
        "interpreter.",
        "ar": "إلى أين تتوجه عندما تمرض، وعندما يكون الأمر عاجلًا، وعندما تحتاج إلى مترجم.",
        "fa": "وقتی بیمار می‌شوید، وقتی کار فوری است و وقتی به مترجم نیاز دارید، "
        "به کجا مراجعه کنید.",
    },
    blocks=(
        _Block(
            Kind.TEXT,
            {
                "sv": {
                    "html": "<h2>När du blir sjuk</h2><p>Ring hälsostationen på morgonen. "
                    "En sjukskötare bedömer hur snabbt du behöver vård och bokar vid behov "
                    "en tid hos läkare eller sjukskötare. Hälsostationen hör till Österbottens "
                    "välfärdsområde.</p><h2>När det är bråttom</h2><p>Om hälsostationen är "
                    "stängd och du behöver vård snabbt, ring Jourhjälpen på numret "
                    "<strong>116 117</strong>. I en nödsituation, ring "
                    "<strong>112</strong>.</p><h2>Tolk</h2><p>Säg när du bokar tiden att du "
                    "behöver tolk. Tolken är gratis för dig och har tystnadsplikt.</p>"
                },
                "en": {
                    "html": "<h2>When you fall ill</h2><p>Call the health centre in the "
                    "morning. A nurse assesses how soon you need care and, if needed, books "
                    "you an appointment with a doctor or a nurse. The health centre belongs "
                    "to the Ostrobothnia wellbeing services county.</p><h2>When it is "
                    "urgent</h2><p>If the health centre is closed and you need care quickly, "
                    "call the Medical Helpline on <strong>116 117</strong>. In an emergency, "
                    "call <strong>112</strong>.</p><h2>Interpreter</h2><p>When you book the "
                    "appointment, say that you need an interpreter. The interpreter is free "
                    "of charge for you and bound by confidentiality.</p>"
                },
                "ar": {
                    "html": "<h2>عندما تمرض</h2><p>اتصل بالمركز الصحي في الصباح. ستقيّم "
                    "ممرضة مدى سرعة حاجتك إلى العلاج، وتحجز لك عند الحاجة موعدًا مع طبيب أو "
                    "ممرضة. يتبع المركز الصحي منطقة خدمات الرفاه في أوستروبوتنيا.</p><h2>في "
                    "الحالات العاجلة</h2><p>إذا كان المركز الصحي مغلقًا واحتجت إلى العلاج "
                    "بسرعة، فاتصل بخط المساعدة الطبية على الرقم <strong>116 117</strong>. وفي "
                    "حالات الطوارئ، اتصل بالرقم <strong>112</strong>.</p><h2>المترجم</h2>"
                    "<p>عند حجز الموعد، أخبرهم أنك تحتاج إلى مترجم. المترجم مجاني لك، وهو "
                    "ملزم بالحفاظ على السرية.</p>"
                },
                "fa": {
                    "html": "<h2>وقتی بیمار می‌شوید</h2><p>صبح با مرکز بهداشت تماس بگیرید. "
                    "یک پرستار بررسی می‌کند که چقدر زود به مراقبت نیاز دارید و در صورت نیاز "
                    "برای شما نزد پزشک یا پرستار وقت می‌گیرد. مرکز بهداشت زیر نظر منطقهٔ "
                    "خدمات رفاهی اوستروبوتنیا است.</p><h2>وقتی کار فوری است</h2><p>اگر مرکز "
                    "بهداشت بسته است و سریع به مراقبت نیاز دارید، با خط راهنمای پزشکی به "
                    "شمارهٔ <strong>116 117</strong> تماس بگیرید. در وضعیت اضطراری با شمارهٔ "
                    "<strong>112</strong> تماس بگیرید.</p><h2>مترجم</h2><p>هنگام گرفتن وقت "
                    "بگویید که به مترجم نیاز دارید. مترجم برای شما رایگان است و موظف به "
                    "رازداری است.</p>"
                },
            },
        ),
        _Block(
            Kind.CONTACT,
            {
                "sv": {
                    "name": "Larsmo hälsostation, tidsbokning",
                    "details": "Vardagar kl. 8–15.",
                },
                "en": {
                    "name": "Larsmo health centre, appointments",
                    "details": "Weekdays 8 am to 3 pm.",
                },
                "ar": {
                    "name": "المركز الصحي في لارسمو، حجز المواعيد",
                    "details": "أيام العمل من الساعة 8 صباحًا حتى 3 عصرًا.",
                },
                "fa": {
                    "name": "مرکز بهداشت لارسمو، نوبت‌دهی",
                    "details": "روزهای کاری از ساعت ۸ تا ۱۵.",
                },
            },
            phone="+358 6 000 4400",  # demo data, not a real number
        ),
        _Block(
            Kind.LINK,
            {
                "sv": {"label": "Jourhjälpen 116 117"},
                "en": {"label": "Medical Helpline 116 117"},
                "ar": {"label": "خط المساعدة الطبية 116 117"},
                "fa": {"label": "خط راهنمای پزشکی 116 117"},
            },
            url="https://www.116117.fi/",
        ),
    ),
    published={
        "sv": datetime.date(2025, 1, 20),
        "en": datetime.date(2025, 2, 3),
        "ar": datetime.date(2025, 3, 17),
        "fa": datetime.date(2025, 5, 12),
    },
    # Persian too: the Persian-speaking families of Larsmo asked for it (a right-to-left page).
    languages=("sv", "fi", "en", "ar", "fa"),
    reach=0.5,
    distributions=((Channel.WEB, datetime.date(2025, 1, 20), (), "", None, ""),),
)


# -- the child health clinic's leaflet (Nykarleby) ---------------------------------------------

_CLINIC = {
    "sv": (
        "radgivningen.pdf",
        "Rådgivningen – för hela familjen",
        (
            "Mödrarådgivningen följer hur du och barnet mår under graviditeten. "
            "Barnrådgivningen följer barnets hälsa, tillväxt och utveckling tills barnet "
            "börjar skolan.",
            "Besöken är gratis. Barnet får också vaccinationerna i det nationella "
            "vaccinationsprogrammet på rådgivningen.",
            "Boka tid per telefon. Säg när du bokar om du behöver tolk: tolken är gratis för dig.",
        ),
    ),
    "fi": (
        "neuvola.pdf",
        "Neuvola – koko perheelle",
        (
            "Äitiysneuvola seuraa sinun ja vauvan vointia raskauden aikana. Lastenneuvola "
            "seuraa lapsen terveyttä, kasvua ja kehitystä kouluikään asti.",
            "Käynnit ovat maksuttomia. Lapsi saa neuvolassa myös kansallisen "
            "rokotusohjelman rokotukset.",
            "Varaa aika puhelimella. Kerro varatessasi, jos tarvitset tulkin: tulkki on "
            "sinulle maksuton.",
        ),
    ),
    "en": (
        "child-health-clinic.pdf",
        "The maternity and child health clinic – for the whole family",
        (
            "The maternity clinic follows how you and your baby are during pregnancy. The "
            "child health clinic follows your child's health, growth and development until "
            "school age.",
            "The visits are free. At the clinic, your child also gets the vaccinations of "
            "the national vaccination programme.",
            "Book an appointment by phone. When you book, say if you need an interpreter: the "
            "interpreter is free of charge for you.",
        ),
    ),
}

LEAFLET = _Page(
    site="893",
    slug="radgivningen",
    kind=Page.Kind.LEAFLET,
    topic=Page.Topic.FAMILY,
    owner="valfardsomradet",
    actions=("aktuell-information", "social-och-halsovardstjanster"),
    title={language: title for language, (_name, title, _text) in _CLINIC.items()},
    summary=_t(
        "Mödra- och barnrådgivningen i Nykarleby: vad den gör och hur du bokar tid. "
        "Broschyren kan skrivas ut.",
        "Uudenkaarlepyyn äitiys- ja lastenneuvola: mitä se tekee ja miten varaat ajan. "
        "Esitteen voi tulostaa.",
        "The maternity and child health clinic in Nykarleby: what it does and how to book an "
        "appointment. The leaflet can be printed.",
    ),
    languages=("sv", "fi", "en"),
    blocks=(
        _Block(
            Kind.TEXT,
            {
                language: {"html": "".join(f"<p>{paragraph}</p>" for paragraph in text)}
                for language, (_name, _title, text) in _CLINIC.items()
            },
        ),
        _Block(
            Kind.FILE,
            _fields(
                label=_t(
                    "Broschyren för utskrift (PDF)",
                    "Tulostettava esite (PDF)",
                    "The leaflet for printing (PDF)",
                ),
            ),
            documents=_CLINIC,
        ),
    ),
    published={
        "sv": datetime.date(2025, 9, 8),
        "fi": datetime.date(2025, 9, 8),
        "en": datetime.date(2026, 3, 2),
    },
    reach=0.6,
    distributions=(
        (Channel.WEB, datetime.date(2025, 9, 8), (), "", None, ""),
        (
            Channel.PRINT,
            datetime.date(2025, 9, 15),
            ("sv", "fi"),
            "Stadsbiblioteket och hälsostationen i Nykarleby",
            500,
            "",
        ),
        (
            Channel.SOCIAL,
            datetime.date(2025, 9, 15),
            ("sv", "fi"),
            "Stadens Facebooksida",
            None,
            "",
        ),
    ),
)


# -- language courses (Pedersöre) and leisure for families (Kronoby) ---------------------------

COURSES = _Page(
    site="599",
    slug="sprakkurser",
    kind=Page.Kind.PAGE,
    topic=Page.Topic.LANGUAGE,
    owner="vuxen-och-medborgarinstitut",
    actions=("kurser-vid-medborgarinstitut",),
    title=_t(
        "Lär dig svenska eller finska vid medborgarinstitutet",
        "Opi ruotsia tai suomea kansalaisopistossa",
        "Learn Swedish or Finnish at the adult education centre",
        "تعلّم السويدية أو الفنلندية في مركز تعليم الكبار",
    ),
    summary=_t(
        "Kurser i svenska och finska för vuxna som har flyttat till Pedersöre.",
        "Ruotsin ja suomen kielen kursseja aikuisille, jotka ovat muuttaneet Pedersöreen.",
        "Swedish and Finnish courses for adults who have moved to Pedersöre.",
        "دورات في اللغتين السويدية والفنلندية للبالغين الذين انتقلوا إلى بيدرسوره.",
    ),
    blocks=(
        _Block(
            Kind.TEXT,
            _html(
                "<p>Medborgarinstitutet ordnar kurser i svenska och finska för vuxna, från "
                "nybörjarnivå till fortsättningsnivå, både på dagtid och på kvällar. Kurserna "
                "för invandrare är avgiftsfria eller har en låg avgift.</p><p>Du anmäler dig "
                "i augusti till höstens kurser och i december till vårens. Om du inte vet "
                "vilken nivå som passar dig, fråga institutet, så hjälper de dig att "
                "välja.</p><p>Du kan också studera svenska eller finska som en del av din "
                "integrationsplan. Fråga din handledare.</p>",
                "<p>Kansalaisopisto järjestää ruotsin ja suomen kielen kursseja aikuisille "
                "alkeista jatkotasolle sekä päivisin että iltaisin. Maahanmuuttajille "
                "tarkoitetut kurssit ovat maksuttomia tai edullisia.</p><p>Ilmoittaudu "
                "elokuussa syksyn kursseille ja joulukuussa kevään kursseille. Jos et tiedä, "
                "mikä taso sopii sinulle, kysy opistosta, niin sinua autetaan "
                "valitsemaan.</p><p>Voit opiskella ruotsia tai suomea myös osana "
                "kotoutumissuunnitelmaasi. Kysy lisää ohjaajaltasi.</p>",
                "<p>The adult education centre organises Swedish and Finnish courses for "
                "adults, from beginners to intermediate level, in the daytime and in the "
                "evenings. The courses for immigrants are free or have a low fee.</p><p>You "
                "sign up in August for the autumn courses and in December for the spring "
                "courses. If you do not know which level suits you, ask the centre, and they "
                "will help you choose.</p><p>You can also study Swedish or Finnish as part of "
                "your integration plan. Ask your adviser.</p>",
                "<p>ينظّم مركز تعليم الكبار دورات في اللغتين السويدية والفنلندية للبالغين، من "
                "مستوى المبتدئين إلى المستوى المتوسط، في النهار وفي المساء. والدورات المخصصة "
                "للمهاجرين مجانية أو برسوم منخفضة.</p><p>يكون التسجيل في شهر أغسطس لدورات "
                "الخريف، وفي شهر ديسمبر لدورات الربيع. وإذا كنت لا تعرف المستوى المناسب لك، "
                "فاسأل المركز وسيساعدونك في الاختيار.</p><p>ويمكنك أيضًا دراسة السويدية أو "
                "الفنلندية ضمن خطة الاندماج الخاصة بك. اسأل المرشد المسؤول عنك.</p>",
            ),
        ),
    ),
    published={
        "sv": datetime.date(2023, 8, 7),
        "fi": datetime.date(2023, 8, 7),
        "en": datetime.date(2024, 8, 5),
        "ar": datetime.date(2025, 8, 4),
    },
    reach=0.6,
    # Signing up for the autumn's and the spring's courses.
    seasons=((frozenset({8, 12}), 2.5),),
    distributions=((Channel.WEB, datetime.date(2023, 8, 7), (), "", None, ""),),
)

LEISURE = _Page(
    site="288",
    slug="fritid-for-familjer",
    kind=Page.Kind.PAGE,
    topic=Page.Topic.LEISURE,
    owner="fritid-och-kultur",
    actions=("familjeanpassad-fritidsservice",),
    title=_t(
        "Fritid för hela familjen i Kronoby",
        "Vapaa-aikaa koko perheelle Kruunupyyssä",
        "Leisure for the whole family in Kronoby",
        "أنشطة أوقات الفراغ للعائلة كلها في كرونوبي",
    ),
    summary=_t(
        "Klubbar, idrott, biblioteket och evenemang för barn och vuxna.",
        "Kerhoja, liikuntaa, kirjasto ja tapahtumia lapsille ja aikuisille.",
        "Clubs, sports, the library and events for children and adults.",
        "نوادٍ ورياضة ومكتبة وفعاليات للأطفال والكبار.",
    ),
    blocks=(
        _Block(
            Kind.TEXT,
            _html(
                "<p>Kommunens fritidsservice ordnar verksamhet för hela familjen: klubbar för "
                "barn och unga, motion och idrott, och evenemang under hela året. Många "
                "klubbar är gratis eller kostar lite.</p><p>Biblioteket har böcker för barn "
                "och vuxna på flera språk, och det är gratis att låna. På biblioteket kan du "
                "också läsa tidningar och använda en dator.</p><p>Fråga fritidsbyrån vilka "
                "klubbar som passar ditt barn. Många klubbar passar också den som ännu inte "
                "talar svenska eller finska.</p>",
                "<p>Kunnan vapaa-aikapalvelut järjestävät toimintaa koko perheelle: kerhoja "
                "lapsille ja nuorille, liikuntaa ja urheilua sekä tapahtumia ympäri vuoden. "
                "Monet kerhot ovat maksuttomia tai edullisia.</p><p>Kirjastossa on kirjoja "
                "lapsille ja aikuisille monella kielellä, ja lainaaminen on maksutonta. "
                "Kirjastossa voit myös lukea lehtiä ja käyttää tietokonetta.</p><p>Kysy "
                "vapaa-aikatoimistosta, mitkä kerhot sopivat lapsellesi. Monet kerhot "
                "sopivat myös niille, jotka eivät vielä puhu ruotsia tai suomea.</p>",
                "<p>The municipality's leisure services organise activities for the whole "
                "family: clubs for children and young people, exercise and sports, and events "
                "all through the year. Many clubs are free or cost little.</p><p>The library "
                "has books for children and adults in several languages, and borrowing is "
                "free. At the library you can also read newspapers and use a computer.</p>"
                "<p>Ask the leisure office which clubs suit your child. Many clubs also suit "
                "those who do not yet speak Swedish or Finnish.</p>",
                "<p>تنظّم خدمات أوقات الفراغ في البلدية أنشطة للعائلة كلها: نوادي للأطفال "
                "والشباب، والتمارين والرياضة، وفعاليات على مدار السنة. وكثير من النوادي مجاني "
                "أو قليل التكلفة.</p><p>في المكتبة كتب للأطفال والكبار بعدة لغات، والاستعارة "
                "مجانية. ويمكنك في المكتبة أيضًا قراءة الصحف واستخدام الحاسوب.</p><p>اسأل مكتب "
                "أوقات الفراغ عن النوادي المناسبة لطفلك. وكثير من النوادي يناسب أيضًا من لا "
                "يتحدث السويدية أو الفنلندية بعد.</p>",
            ),
        ),
    ),
    published={
        "sv": datetime.date(2024, 5, 6),
        "fi": datetime.date(2024, 5, 6),
        "en": datetime.date(2025, 4, 7),
        "ar": datetime.date(2025, 4, 7),
    },
    reach=0.5,
    distributions=((Channel.WEB, datetime.date(2024, 5, 6), (), "", None, ""),),
)

PAGES = (GUIDE, VOTING, HEALTH, LEAFLET, COURSES, LEISURE)

# Views a week of a page of reach 1, by language; a language not named gets DEFAULT_WEEKLY.
WEEKLY = {"sv": 30.0, "fi": 20.0, "ar": 10.0, "en": 7.0}
DEFAULT_WEEKLY = 2.0
# Each year from the first on a little more (what "material used" aims at: more reach).
GROWTH = 0.15
# Of a page with a file, the share of views that download it.
DOWNLOADS = 0.3


def demo_information_load(
    *, programme: Programme, actor, today: datetime.date | None = None
) -> int:
    """Make the demo's information sites and pages for `programme`'s region as `actor` (its
    region coordinator), unless the region has information sites already; how many pages.
    A second run adds nothing. `today` (the local date by default): use is made until the day
    before."""
    region = programme.region
    if Site.objects.filter(region=region).exists():
        return 0
    today = today or timezone.localdate()
    translator = (
        User.objects.filter(
            memberships__role=Membership.Role.TRANSLATOR,
            memberships__region=region,
            memberships__language="ar",
        ).first()
        or actor
    )
    with transaction.atomic(), counting_deferred():
        sites = _sites_create(programme, actor)
        made = [
            _page_make(spec, site=sites[spec.site], actor=actor, translator=translator)
            for spec in PAGES
        ]
        for spec, page in zip(PAGES, made, strict=True):
            _dates_set(spec, page)
            _distribute(spec, page, actor)
        Use.objects.bulk_create(
            [
                use
                for spec, page in zip(PAGES, made, strict=True)
                for use in _uses(spec, page, today)
            ],
            batch_size=2000,
        )
    # The published material and its use, as the follow-up counts them.
    computed_values_refresh(
        indicators=Indicator.objects.filter(
            action__programme=programme,
            source=Indicator.Source.REGISTRY,
            query__in=(Indicator.Query.INFORMATION_CREATED, Indicator.Query.INFORMATION_USED),
        )
    )
    return len(made)


def _sites_create(programme: Programme, actor) -> dict[str, Site]:
    region = programme.region
    sites = {
        REGION: services.site_create(
            actor=actor,
            region=region,
            municipality=None,
            slug=region.key,
            languages=LANGUAGES,
        )
    }
    for municipality in programme.municipalities.order_by("code"):
        sites[municipality.code] = services.site_create(
            actor=actor,
            region=region,
            municipality=municipality,
            slug=slugify(municipality.name.get("sv") or municipality.code),
            languages=LANGUAGES + MORE_LANGUAGES.get(municipality.code, []),
        )
    return sites


def _page_make(spec: _Page, *, site: Site, actor, translator) -> Page:
    """The page through the services: its source, its blocks (pictures and files uploaded),
    its translations (the Arabic by the translator), each language published; then the
    source's later change, if any."""
    organisations = {o.key: o for o in Organisation.objects.filter(region=site.region)}
    actions = Action.objects.filter(programme__region=site.region, key__in=spec.actions).order_by(
        "pk"
    )
    page = services.page_create(
        actor=actor,
        site=site,
        slug=spec.slug,
        kind=spec.kind,
        topic=spec.topic,
        owner=organisations[spec.owner],
        title=spec.title["sv"],
        summary=spec.summary["sv"],
        actions=actions,
        languages=spec.languages,
    )
    keys: list[str] = []
    files: dict[int, dict[str, str]] = {}  # block → language → its file's key
    for n, block in enumerate(spec.blocks):
        image = None
        if block.picture is not None:
            image = uploads.image_store(
                actor=actor,
                page=page,
                file=ContentFile(block.picture(), name=block.picture_name),
            )
        words = dict(block.words["sv"])
        if block.documents:
            files[n] = {
                language: uploads.document_store(
                    actor=actor,
                    page=page,
                    file=ContentFile(
                        demo_pictures.leaflet_pdf(
                            language=language, title=title, paragraphs=paragraphs
                        ),
                        name=name,
                    ),
                ).key
                for language, (name, title, paragraphs) in block.documents.items()
            }
            words["upload"] = files[n]["sv"]
        made = services.block_add(
            actor=actor,
            page=page,
            kind=block.kind,
            texts=words,
            image=image,
            url=block.url,
            phone=block.phone,
            email=block.email,
        )
        keys.append(made.key)

    def texts(language: str, blocks: dict[int, Words] | None = None) -> dict[str, dict]:
        out = {}
        for n, block in enumerate(spec.blocks):
            words = dict((blocks or {}).get(n, block.words)[language])
            if n in files:
                words["upload"] = files[n][language]
            out[keys[n]] = words
        return out

    for language in spec.title:
        if language != "sv":
            services.version_save(
                actor=translator if language == "ar" else actor,
                page=page,
                language=language,
                title=spec.title[language],
                summary=spec.summary.get(language, ""),
                texts=texts(language),
            )
    for version in page.versions.all():
        services.version_publish(
            actor=translator if version.language == "ar" else actor, version=version
        )
    if spec.revision is not None:
        changed = {spec.revision.block: spec.revision.words}
        for language in spec.revision.words:  # the source first
            services.version_save(
                actor=actor,
                page=page,
                language=language,
                title=spec.title[language],
                summary=spec.summary.get(language, ""),
                texts=texts(language, changed),
            )
    return page


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _dates_set(spec: _Page, page: Page) -> None:
    """Demo data only: date the page, its languages' publication and their revisions as if
    they had been made on their days (the services stamp them now; the audit trail keeps the
    real time of loading)."""
    first = min(spec.published.values())
    Page.objects.filter(pk=page.pk).update(created_at=_at(first - datetime.timedelta(days=14)))
    for version in page.versions.all():
        published = spec.published[version.language]
        revised = spec.revision is not None and version.language in spec.revision.words
        last = spec.revision.on if spec.revision is not None and revised else published
        Version.objects.filter(pk=version.pk).update(
            first_published_at=_at(published), published_at=_at(last), updated_at=_at(last)
        )
        revisions = Revision.objects.filter(version=version)
        if revised:
            revisions.filter(number=version.revision).update(saved_at=_at(last, 9))
            revisions = revisions.exclude(number=version.revision)
        revisions.update(saved_at=_at(published - datetime.timedelta(days=3)))


def _distribute(spec: _Page, page: Page, actor) -> None:
    partners = {o.key: o for o in Organisation.objects.filter(region=page.site.region)}
    for channel, starts_on, languages, place, copies, partner in spec.distributions:
        services.distribution_record(
            actor=actor,
            page=page,
            channel=channel,
            starts_on=starts_on,
            languages=languages,
            place=place,
            copies=copies,
            partner=partners[partner] if partner else None,
        )


def _poisson(rng: random.Random, mean: float) -> int:
    """A count drawn around `mean` (Knuth's method; the means here are small)."""
    if mean <= 0:
        return 0
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _uses(spec: _Page, page: Page, today: datetime.date) -> list[Use]:
    """Made-up views (and downloads of a page with a file) per language and day, from the
    language's first publication until yesterday; only days with some use are kept, as the
    counting keeps them."""
    has_file = any(block.kind == Kind.FILE for block in spec.blocks)
    first_year = min(spec.published.values()).year
    uses: list[Use] = []
    for language, first in spec.published.items():
        # Seeded per page and language: the same days get the same counts whatever today is.
        rng = random.Random(f"{SEED}:{page.site.slug}:{page.slug}:{language}")
        weekly = WEEKLY.get(language, DEFAULT_WEEKLY) * spec.reach
        day = first
        while day < today:
            mean = weekly / 7 * (1 + GROWTH * (day.year - first_year))
            if day.weekday() >= 5:
                mean *= 0.6
            for months, factor in spec.seasons:
                if day.month in months or (day.year, day.month) in months:
                    mean *= factor
            if day == first:
                mean *= 3  # news of it
            views = _poisson(rng, mean)
            downloads = sum(rng.random() < DOWNLOADS for _n in range(views)) if has_file else 0
            if views or downloads:
                uses.append(
                    Use(page=page, language=language, day=day, views=views, downloads=downloads)
                )
            day += datetime.timedelta(days=1)
    return uses
