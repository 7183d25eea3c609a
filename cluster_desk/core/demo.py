"""A realistic, synthetic demo cluster: automotive components on the Kazan – Naberezhnye Chelny axis.

Every organisation here is invented (some names echo real institutions, the way a real roster
would); INNs carry a valid check digit but are random. The mix follows the HSE cluster map of
Russia (small firms 40 %, medium 13 %, large 19 %, education 7 %, R&D 8 %, infrastructure 3 %,
authorities 2 %, other 8 %) and is tuned so that every assessment check has something to say:

- 98 member firms: just short of the 100-150 band, and 5 firm candidates would close the gap;
- centre between Kazan and Chelny (both ~100 km away), 5 members clearly beyond 200 km
  (Tolyatti, Nizhny Novgorod, Samara, Ufa, Stuttgart), one candidate in Cheboksary (~220 km);
- one anchor (a truck plant) holding more than half of firm employment: the focal-model warning;
- links of every kind; most suppliers pass >= 20 % of output to members, some do not, and five
  new members have no links yet (more than the three the registry rule tolerates);
- two members not yet placed on the map.

``demo_cluster(seed)`` is deterministic: ids, dates, coordinates and shares all come from one
``random.Random(seed)``, so the same seed always writes the same project.
Why ~530 lines: the demo roster is data (organisations, places, links) written as typed code.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from cluster_desk.core.model import (
    ClusterSettings,
    Industry,
    Link,
    LinkKind,
    Member,
    MemberKind,
    SpecialTerritory,
    Status,
)

DEMO_NAME = "Автомобильный кластер Республики Татарстан"
#: Between Kazan (~101 km) and Naberezhnye Chelny (~105 km): both ends of the axis fit in 200 km.
DEMO_CENTRE = (55.74, 50.72)
DEMO_RADIUS_KM = 200.0

C = Industry.CORE
R = Industry.RELATED


@dataclass(frozen=True)
class _City:
    name: str  # as written in an address
    lat: float
    lon: float
    postcode: str
    region: str
    inn_prefix: str  # region code + tax office code: the first four INN digits


_TAT = "Республика Татарстан"
_CITIES: dict[str, _City] = {
    "kazan": _City("г. Казань", 55.7963, 49.1088, "4200", _TAT, "1655"),
    "chelny": _City("г. Набережные Челны", 55.7430, 52.3958, "4238", _TAT, "1650"),
    "yelabuga": _City("г. Елабуга", 55.7567, 52.0543, "4236", _TAT, "1646"),
    "alabuga": _City("Елабужский р-н, ОЭЗ «Алабуга»", 55.8000, 52.1700, "4236", _TAT, "1646"),
    "nizhnekamsk": _City("г. Нижнекамск", 55.6366, 51.8245, "4235", _TAT, "1651"),
    "zelenodolsk": _City("г. Зеленодольск", 55.8466, 48.5010, "4225", _TAT, "1648"),
    "almetyevsk": _City("г. Альметьевск", 54.9014, 52.2973, "4234", _TAT, "1644"),
    "chistopol": _City("г. Чистополь", 55.3648, 50.6407, "4229", _TAT, "1652"),
    "bugulma": _City("г. Бугульма", 54.5365, 52.7890, "4232", _TAT, "1645"),
    "zainsk": _City("г. Заинск", 55.2990, 52.0060, "4235", _TAT, "1647"),
    "mendeleevsk": _City("г. Менделеевск", 55.8947, 52.3141, "4236", _TAT, "1627"),
    "innopolis": _City("г. Иннополис", 55.7527, 48.7440, "4205", _TAT, "1615"),
    "mamadysh": _City("г. Мамадыш", 55.7150, 51.4120, "4221", _TAT, "1626"),
    "arsk": _City("г. Арск", 56.0910, 49.8770, "4220", _TAT, "1609"),
    "buinsk": _City("г. Буинск", 54.9640, 48.2900, "4224", _TAT, "1614"),
    "leninogorsk": _City("г. Лениногорск", 54.5994, 52.4421, "4232", _TAT, "1649"),
    # Beyond 200 km of the centre.
    "tolyatti": _City("г. Тольятти", 53.5078, 49.4205, "4450", "Самарская область", "6320"),
    "samara": _City("г. Самара", 53.1959, 50.1008, "4430", "Самарская область", "6315"),
    "nn": _City("г. Нижний Новгород", 56.3269, 44.0059, "6030", "Нижегородская область", "5260"),
    "ufa": _City("г. Уфа", 54.7388, 55.9721, "4500", "Республика Башкортостан", "0274"),
    "cheboksary": _City("г. Чебоксары", 56.1439, 47.2489, "4280", "Чувашская Республика", "2128"),
    "stuttgart": _City("Stuttgart", 48.7758, 9.1829, "", "Baden-Württemberg, Deutschland", ""),
    "jinan": _City("Jinan", 36.6512, 117.1201, "", "Shandong, China", ""),
    "minsk": _City("г. Минск", 53.9006, 27.5590, "", "Республика Беларусь", ""),
    "bursa": _City("Bursa", 40.1826, 29.0665, "", "Türkiye", ""),
}

_STREETS = (
    "ул. Промышленная", "Автозаводский пр-т", "ул. Машиностроительная", "ул. Техническая",
    "ул. Заводская", "ул. Индустриальная", "Мензелинский тракт", "ул. Моторная",
    "ул. Энергетиков", "ул. Мира", "пр-т Победы", "ул. Ленина", "ул. Тукая", "ул. Гагарина",
    "ул. Строителей", "ул. Низаметдинова", "ул. Журналистов", "ул. Сибирский тракт",
)
_SURNAMES = (
    "Гарипов", "Хасанова", "Сафин", "Иванов", "Миннуллин", "Зарипова", "Петров", "Валиев",
    "Ахметов", "Кузнецова", "Галиев", "Николаев", "Шарафутдинов", "Мухаметзянова", "Фролов",
    "Садыков", "Латыпова", "Смирнов", "Нуриев", "Гилязова", "Волков", "Хайруллин",
)
_INITIALS = "АБВГДЗИЛМНОРСТФЭЮ"
_ROLES = (
    "директор", "коммерческий директор", "главный инженер", "руководитель отдела закупок",
    "директор по развитию", "начальник отдела кооперации",
)

# (name, OKVED 2, core/related, city, employees). The first one is the anchor.
_LARGE: tuple[tuple[str, str, Industry, str, int], ...] = (
    ("ПАО «Челнинский автомобильный завод»", "29.10", C, "chelny", 38700),
    ("АО «Татавтокомпонент»", "29.32", C, "chelny", 2400),
    ("АО «Камский кузнечный завод»", "25.50", R, "chelny", 2700),
    ("ООО «Камский литейный завод»", "24.51", R, "chelny", 2900),
    ("АО «Камшина»", "22.11", R, "nizhnekamsk", 3400),
    ("ООО «Алабуга Моторс»", "29.10", C, "alabuga", 1900),
    ("ООО «Камский завод двигателей»", "29.32", C, "chelny", 3100),
    ("АО «Челныхолодмаш»", "28.25", R, "chelny", 640),
    ("ООО «Татэлектромаш»", "27.11", R, "kazan", 780),
    ("АО «Казанский завод автокомпонентов»", "29.32", C, "kazan", 1150),
    ("ООО «Зеленодольский завод автоагрегатов»", "29.32", C, "zelenodolsk", 860),
    ("АО «Елабужский завод рессор»", "29.32", C, "yelabuga", 520),
    ("ООО «КамПласт Авто»", "22.29", R, "chelny", 430),
    ("АО «Нижнекамский завод резинотехнических изделий»", "22.19", R, "nizhnekamsk", 1300),
    ("ООО «Альметьевский завод гидравлики»", "28.12", R, "almetyevsk", 690),
    ("АО «Заинский завод мостов»", "29.32", C, "zainsk", 950),
    ("АО «Чистопольский завод автоприборов»", "29.31", C, "chistopol", 620),
    ("ООО «Автосвет-Кама»", "29.31", C, "chelny", 410),
    ("АО «Казанский завод электрооборудования»", "27.12", R, "kazan", 560),
    ("ООО «Бугульминский механический завод»", "28.22", R, "bugulma", 480),
    ("АО «Менделеевский завод металлоконструкций»", "25.11", R, "mendeleevsk", 370),
    ("ООО «КамЛогистик»", "49.41", R, "chelny", 1200),
    ("ООО «Тольяттинский завод автокомплектующих»", "29.32", C, "tolyatti", 740),
    ("АО «Нижегородский завод автоагрегатов»", "29.32", C, "nn", 880),
    ("ООО «Казанский инструментальный завод»", "25.73", R, "kazan", 310),
    ("ООО «Кама-Кабель Авто»", "27.32", R, "chelny", 650),
    ("АО «Елабужский автосборочный завод»", "29.10", C, "alabuga", 2100),
    ("ООО «Лениногорский завод фильтров»", "29.32", C, "leninogorsk", 330),
)
_MEDIUM: tuple[tuple[str, str, Industry, str], ...] = (
    ("ООО «Челны-Пресс»", "25.50", R, "chelny"),
    ("ООО «Кама-Метиз»", "25.94", R, "chelny"),
    ("ООО «Татпромгидравлика»", "28.12", R, "kazan"),
    ("ООО «ЭлектроКомпонент-Казань»", "27.33", R, "kazan"),
    ("ООО «Автопласт-Елабуга»", "22.29", R, "yelabuga"),
    ("ООО «Волга-Уплотнение»", "22.19", R, "zelenodolsk"),
    ("ООО «НК-Полимер Авто»", "22.29", R, "nizhnekamsk"),
    ("ООО «Камтранссервис»", "49.41", R, "chelny"),
    ("ООО «Инженерный центр «Кама-Проект»", "71.12", R, "chelny"),
    ("ООО «Татавтодизайн»", "71.12", R, "kazan"),
    ("ООО «КамТехИспытания»", "71.20", R, "chelny"),
    ("ООО «Мамадышский завод стальных конструкций»", "25.11", R, "mamadysh"),
    ("ООО «Арский механический завод»", "25.62", R, "arsk"),
    ("ООО «Заинск-Автодеталь»", "29.32", C, "zainsk"),
    ("ООО «Челнинский завод сидений»", "29.32", C, "chelny"),
    ("ООО «Кама-Электрик»", "29.31", C, "chelny"),
    ("ООО «Казанский завод тормозных систем»", "29.32", C, "kazan"),
    ("ООО «Татспецтранс»", "29.20", C, "kazan"),
    ("ООО «Буинский завод автозапчастей»", "29.32", C, "buinsk"),
)
# Small firms: name stem + product, combined by the seed.
_SMALL_STEMS = (
    "Кама", "Челны", "Тат", "Волга", "Алабуга", "Идель", "Прикамье", "Булгар", "Зай", "Казань",
    "Нур", "Ак Таш", "Кукмор", "Свияга",
)
_SMALL_PRODUCTS: tuple[tuple[str, str, Industry], ...] = (
    ("Деталь", "29.32", C), ("Автокомплект", "29.32", C), ("Автосвет", "29.31", C),
    ("Пласт", "22.29", R), ("Полимер", "22.29", R), ("Резинотехника", "22.19", R),
    ("Метиз", "25.94", R), ("Инструмент", "25.73", R), ("Штамп", "25.50", R),
    ("Мехобработка", "25.62", R), ("Электро", "27.90", R), ("Гидравлика", "28.12", R),
    ("Проект", "71.12", R), ("Транс", "49.41", R), ("Лаб", "72.19", R), ("Кабель", "27.32", R),
    ("Покрытие", "25.61", R), ("Спецмаш", "28.92", R),
)
_SMALL_CITY_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("chelny", 40), ("kazan", 24), ("yelabuga", 8), ("alabuga", 4), ("nizhnekamsk", 10),
    ("zelenodolsk", 4), ("almetyevsk", 3), ("chistopol", 3), ("zainsk", 2), ("mendeleevsk", 2),
)

_EDUCATION: tuple[tuple[str, str, str, int], ...] = (
    ("КНИТУ-КАИ им. А. Н. Туполева", "85.22", "kazan", 3900),
    ("ФГАОУ ВО «Казанский (Приволжский) федеральный университет»", "85.22", "kazan", 11000),
    ("Набережночелнинский институт (филиал) КФУ", "85.22", "chelny", 1100),
    ("ГАПОУ «Набережночелнинский политехнический колледж»", "85.21", "chelny", 240),
    ("ГАПОУ «Елабужский политехнический колледж»", "85.21", "yelabuga", 160),
    ("ГАПОУ «Нижнекамский индустриальный техникум»", "85.21", "nizhnekamsk", 170),
    ("ГАПОУ «Казанский автотранспортный техникум»", "85.21", "kazan", 210),
    ("ГАПОУ «Заинский политехнический колледж»", "85.21", "zainsk", 90),
    ("Корпоративный университет Челнинского автозавода", "85.42", "chelny", 60),
    ("ГАПОУ «Чистопольский многопрофильный колледж»", "85.21", "chistopol", 120),
)
_RESEARCH: tuple[tuple[str, str, str, int], ...] = (
    ("АО «НИИ автомобильных компонентов»", "72.19", "chelny", 210),
    ("ООО «НТЦ «Кама-Дизель»", "72.19", "chelny", 140),
    ("Институт механики и машиностроения КазНЦ РАН", "72.19", "kazan", 180),
    ("ООО «Инжиниринговый центр «Композиты Татарстана»", "72.19", "kazan", 75),
    ("ООО «Центр прототипирования «Иннополис»", "72.19", "innopolis", 45),
    ("Научно-образовательный центр «Кама-Инновации»", "72.19", "chelny", 38),
    ("ООО «НИЦ «Автоэлектроника»", "72.19", "kazan", 52),
    ("АО «Самарский НИИ двигателестроения»", "72.19", "samara", 320),
    ("ООО «Испытательная лаборатория «Камшина-Тест»", "71.20", "nizhnekamsk", 34),
    ("Центр цифровых технологий КНИТУ-КАИ", "72.19", "kazan", 60),
    ("ООО «НПЦ «Алабуга-Инжиниринг»", "72.19", "alabuga", 88),
)
_INFRASTRUCTURE: tuple[tuple[str, str, str, int], ...] = (
    ("АО «ОЭЗ ППТ «Алабуга»", "68.20", "alabuga", 420),
    ("Индустриальный парк «Камские поляны»", "68.20", "nizhnekamsk", 25),
    ("Технопарк «Идея»", "68.20", "kazan", 70),
    ("Бизнес-инкубатор «Челны-Старт»", "82.99", "chelny", 12),
)
_AUTHORITIES: tuple[tuple[str, str, str, int], ...] = (
    ("Министерство промышленности и торговли Республики Татарстан", "84.11", "kazan", 160),
    ("Исполнительный комитет муниципального образования г. Набережные Челны", "84.11", "chelny", 520),
    ("Агентство инвестиционного развития Республики Татарстан", "84.13", "kazan", 90),
)
_FINANCE: tuple[tuple[str, str, str, int], ...] = (
    ("ПАО «Ак Барс Банк»", "64.19", "kazan", 4800),
    ("Фонд развития промышленности Республики Татарстан", "64.99", "kazan", 30),
    ("АО «Инвестиционно-венчурный фонд Республики Татарстан»", "64.30", "kazan", 40),
    ("АО «Кама-Лизинг»", "64.91", "chelny", 55),
)


def _uid(rng: random.Random) -> str:
    """A UUID4 drawn from the seeded generator, so the demo's ids are reproducible."""
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _inn10(rng: random.Random, prefix: str) -> str:
    """A 10-digit legal-entity INN with a valid check digit."""
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(9 - len(prefix))]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(w * d for w, d in zip(weights, digits, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def _inn12(rng: random.Random, prefix: str) -> str:
    """A 12-digit INN of an individual entrepreneur, with both check digits."""
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(10 - len(prefix))]
    w11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(w * d for w, d in zip(w11, digits, strict=True)) % 11 % 10)
    w12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    digits.append(sum(w * d for w, d in zip(w12, digits, strict=True)) % 11 % 10)
    return "".join(map(str, digits))


def _date(rng: random.Random, start: date, end: date) -> str:
    return (start + timedelta(days=rng.randrange((end - start).days + 1))).isoformat()


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.members: list[Member] = []

    def place(self, city_key: str) -> tuple[float, float]:
        city = _CITIES[city_key]
        # A few kilometres of scatter: industrial zones sit around, not on, the city centre.
        lat = city.lat + self.rng.uniform(-0.035, 0.035)
        lon = city.lon + self.rng.uniform(-0.06, 0.06)
        return round(lat, 5), round(lon, 5)

    def address(self, city_key: str) -> str:
        city = _CITIES[city_key]
        if not city.postcode:  # abroad: no Russian-style address
            return f"{city.name}, {city.region}"
        postcode = city.postcode + f"{self.rng.randrange(100):02d}"
        street = self.rng.choice(_STREETS)
        return f"{postcode}, {city.region}, {city.name}, {street}, д. {self.rng.randrange(1, 120)}"

    def contact(self) -> str:
        surname = self.rng.choice(_SURNAMES)
        first, middle = self.rng.choice(_INITIALS), self.rng.choice(_INITIALS)
        return f"{surname} {first}. {middle}., {self.rng.choice(_ROLES)}"

    def add(
        self,
        name: str,
        kind: MemberKind,
        city_key: str,
        *,
        sector: str = "",
        industry: Industry = Industry.UNSPECIFIED,
        employees: int | None = None,
        status: Status = Status.MEMBER,
        joined: str | None = None,
        inn: str | None = None,
        notes: str = "",
        located: bool = True,
    ) -> Member:
        city = _CITIES[city_key]
        lat, lon = self.place(city_key) if located else (None, None)
        if inn is None:
            inn = _inn10(self.rng, city.inn_prefix) if city.inn_prefix else ""
        if joined is None and status is not Status.CANDIDATE:
            joined = _date(self.rng, date(2015, 3, 12), date(2024, 10, 1))
        left = None
        if status is Status.FORMER:
            assert joined is not None
            left = _date(self.rng, max(date.fromisoformat(joined), date(2022, 1, 1)), date(2024, 6, 30))
        member = Member(
            name=name, kind=kind, status=status, id=_uid(self.rng), sector=sector, industry=industry,
            employees=employees, lat=lat, lon=lon, address=self.address(city_key), inn=inn,
            contact=self.contact(), joined=joined, left=left, notes=notes,
        )
        self.members.append(member)
        return member


def _small_firm_names(rng: random.Random, n: int) -> list[tuple[str, str, Industry]]:
    pairs = [(s, p) for s in _SMALL_STEMS for p in _SMALL_PRODUCTS]
    rng.shuffle(pairs)
    out: list[tuple[str, str, Industry]] = []
    for stem, (product, sector, industry) in pairs[:n]:
        style = rng.random()
        if style < 0.45:
            brand = f"{stem}{product}" if " " not in stem else f"{stem}-{product}"
        elif style < 0.85:
            brand = f"{stem}-{product}"
        else:
            brand = f"{stem} {product}"
        form = "ООО «НПП «" if sector == "72.19" else "ООО «"
        out.append((f"{form}{brand}»", sector, industry))
    return out


def demo_cluster(seed: int = 7) -> tuple[list[Member], list[Link], ClusterSettings]:
    """The demo roster, its links and settings; the same seed gives the same records."""
    b = _Builder(seed)
    rng = b.rng
    founded = "2015-03-12"

    # --- firms -------------------------------------------------------------------------------
    large = [
        b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind,
              employees=emp if i == 0 else int(emp * rng.uniform(0.9, 1.1)),
              joined=founded if i < 6 else None,
              notes="Якорное предприятие кластера" if i == 0 else "")
        for i, (name, sector, ind, city, emp) in enumerate(_LARGE)
    ]
    anchor = large[0]
    medium = [
        b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind, employees=rng.randint(55, 240))
        for name, sector, ind, city in _MEDIUM
    ]
    small: list[Member] = []
    cities, weights = zip(*_SMALL_CITY_WEIGHTS, strict=True)
    for i, (name, sector, ind) in enumerate(_small_firm_names(rng, 43)):
        city = rng.choices(cities, weights)[0]
        small.append(b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind,
                           employees=rng.randint(4, 9) if i % 9 == 0 else rng.randint(10, 49)))
    # Two sole traders (12-digit INN) and one firm the field officer has not placed yet.
    small.append(b.add("ИП Хабибуллин Ринат Фаритович", MemberKind.FIRM, "chelny", sector="25.62",
                       industry=R, employees=6, inn=_inn12(rng, "1650")))
    small.append(b.add("ИП Зиннатуллина Алсу Рашитовна", MemberKind.FIRM, "kazan", sector="71.12",
                       industry=R, employees=4, inn=_inn12(rng, "1660")))
    small.append(b.add("ООО «Прикамская кооперация»", MemberKind.FIRM, "nizhnekamsk", sector="29.32",
                       industry=C, employees=27, located=False,
                       notes="Адрес уточняется, на карте не размещён"))
    # New members (2025) with no cooperation links yet: the registry allows only three.
    isolated = [
        b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind, employees=emp,
              joined=_date(rng, date(2025, 1, 15), date(2025, 5, 30)),
              notes="Вступил в 2025 г., кооперационные договоры не оформлены")
        for name, sector, ind, city, emp in (
            ("ООО «Менделеевск-Пласт»", "22.29", R, "mendeleevsk", 18),
            ("ООО «Альметьевский завод автоэлектрики»", "29.31", C, "almetyevsk", 34),
            ("ООО «Чистопольские метизы»", "25.94", R, "chistopol", 22),
            ("ООО «Казанская сварочная компания»", "25.62", R, "kazan", 15),
            ("ООО «Зеленодольский инструментальный цех»", "25.73", R, "zelenodolsk", 9),
        )
    ]
    candidate_firms = [
        b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind, employees=emp,
              status=Status.CANDIDATE, notes="Подана заявка на вступление")
        for name, sector, ind, city, emp in (
            ("ООО «Чебоксарский завод автокомпонентов»", "29.32", C, "cheboksary", 310),
            ("ООО «Кама-Шумоизоляция»", "22.29", R, "chelny", 41),
            ("ООО «Елабужская литейная компания»", "24.53", R, "yelabuga", 46),
            ("ООО «ТатРобоСвар»", "28.99", R, "kazan", 23),
            ("ООО «Нижнекамский завод автокрепежа»", "25.94", R, "nizhnekamsk", 64),
        )
    ]
    former_firms = [
        b.add(name, MemberKind.FIRM, city, sector=sector, industry=ind, employees=emp,
              status=Status.FORMER, notes="Вышел из кластера")
        for name, sector, ind, city, emp in (
            ("ООО «Челнинский завод прицепов»", "29.20", C, "chelny", 140),
            ("ООО «Бугульма-Автосервис»", "45.20", R, "bugulma", 12),
        )
    ]

    # --- science, education, infrastructure, government, finance, others -------------------
    def org(rows: tuple[tuple[str, str, str, int], ...], kind: MemberKind) -> list[Member]:
        return [b.add(n, kind, city, sector=sector, employees=emp) for n, sector, city, emp in rows]

    education = org(_EDUCATION[:7], MemberKind.EDUCATION) + org(_EDUCATION[8:], MemberKind.EDUCATION)
    education.append(b.add(_EDUCATION[7][0], MemberKind.EDUCATION, _EDUCATION[7][2], sector="85.21",
                           employees=_EDUCATION[7][3], status=Status.CANDIDATE,
                           notes="Подана заявка на вступление"))
    research = org(_RESEARCH, MemberKind.RESEARCH)
    infrastructure = org(_INFRASTRUCTURE, MemberKind.INFRASTRUCTURE)
    authorities = org(_AUTHORITIES, MemberKind.AUTHORITY)
    finance = org(_FINANCE[:3], MemberKind.FINANCE)
    finance.append(b.add(_FINANCE[3][0], MemberKind.FINANCE, _FINANCE[3][2], sector=_FINANCE[3][1],
                         employees=_FINANCE[3][3], status=Status.FORMER, notes="Вышел из кластера"))
    cluster_org = b.add("АНО «Центр кластерного развития РТ»", MemberKind.CLUSTER_ORG, "kazan",
                        sector="94.11", employees=14, joined=founded,
                        notes="Специализированная организация кластера")
    partners = [
        b.add("Ассоциация «Нефтехимический кластер Республики Башкортостан»",
              MemberKind.PARTNER_CLUSTER, "ufa", sector="94.11", employees=9),
        b.add("Ассоциация «Автомобильный кластер Самарской области»", MemberKind.PARTNER_CLUSTER,
              "samara", sector="94.11", employees=11, located=False,
              notes="Соглашение о сотрудничестве; адрес не указан"),
        b.add("Ассоциация «Ульяновский автомобильный кластер»", MemberKind.PARTNER_CLUSTER,
              "tolyatti", sector="94.11", employees=7, status=Status.FORMER,
              notes="Соглашение о сотрудничестве истекло"),
    ]
    foreign = [
        b.add("Schwaben Fahrzeugteile GmbH", MemberKind.FOREIGN_PARTNER, "stuttgart", sector="29.32",
              employees=1800, notes="Покупатель тормозных компонентов, Германия"),
        b.add("Shandong Heavy Axle Co., Ltd.", MemberKind.FOREIGN_PARTNER, "jinan", sector="29.32",
              employees=2600, status=Status.CANDIDATE, notes="Переговоры о локализации, Китай"),
        b.add("ОАО «Минский завод автоагрегатов»", MemberKind.FOREIGN_PARTNER, "minsk", sector="29.32",
              employees=1500, status=Status.CANDIDATE, notes="Переговоры о кооперации, Беларусь"),
        b.add("Anadolu Otomotiv Parçaları A.Ş.", MemberKind.FOREIGN_PARTNER, "bursa", sector="29.32",
              employees=900, status=Status.CANDIDATE, notes="Переговоры о поставках, Турция"),
    ]

    # --- links --------------------------------------------------------------------------------
    links: list[Link] = []
    joined_of = {m.id: m.joined or "2025-06-01" for m in b.members}

    def link(src: Member, dst: Member, kind: LinkKind, share: float | None = None) -> None:
        start = max(joined_of[src.id], joined_of[dst.id])
        start_d = date.fromisoformat(start) + timedelta(days=rng.randrange(30, 400))
        links.append(Link(source=src.id, target=dst.id, kind=kind, id=_uid(rng),
                          start=min(start_d, date(2025, 6, 1)).isoformat(), share=share))

    core_buyers = [m for m in large[1:] if m.industry is C and m.lat is not None and m.lat > 55.0]
    suppliers = [m for m in large[1:] + medium + small if m.status is Status.MEMBER]
    for i, firm in enumerate(suppliers):
        # About three in four suppliers pass >= 20 % of their output to members (registry rule).
        passes = i % 4 != 3
        total = rng.uniform(0.22, 0.65) if passes else rng.uniform(0.04, 0.17)
        n = rng.choice((1, 2, 2, 3))
        buyers = [anchor, *rng.sample([m for m in core_buyers if m.id != firm.id], n - 1)]
        cuts = sorted(rng.uniform(0.2, 0.8) for _ in range(n - 1))
        parts = [b2 - a for a, b2 in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
        for buyer, part in zip(buyers, parts, strict=True):
            link(firm, buyer, LinkKind.SUPPLY, round(total * part, 3))
    # The anchor and a tier-1 firm export: business - global markets.
    link(anchor, foreign[0], LinkKind.SUPPLY, 0.03)
    link(large[1], foreign[0], LinkKind.SUPPLY, 0.12)
    # Joint R&D between research centres / universities and firms (business - science).
    science = research + education[:3]
    for j, firm in enumerate([anchor, *rng.sample(large[1:22] + medium, 16)]):
        link(science[j % len(science)], firm, LinkKind.RND)  # every research member gets a partner
    link(research[0], research[2], LinkKind.RND)
    # Education and training (business - education).
    schools = [m for m in education if m.status is Status.MEMBER]
    for firm in [anchor, *rng.sample(large[1:22] + medium + small[:20], 18)]:
        link(rng.choice(schools), firm, LinkKind.EDUCATION)
    # Finance (business - financiers): bank loans, fund grants, one historic lease.
    for firm in rng.sample(large[1:22] + medium + small[:30], 12):
        link(rng.choice(finance[:3]), firm, LinkKind.FINANCE)
    link(finance[3], medium[0], LinkKind.FINANCE)
    # Government support (business - authorities).
    for firm in [anchor, *rng.sample(large[1:22] + medium, 7)]:
        link(rng.choice(authorities), firm, LinkKind.GOVERNMENT)
    link(authorities[0], cluster_org, LinkKind.GOVERNMENT)
    # Other: the cluster organisation with partner clusters (cluster - cluster) and
    # infrastructure with its resident firms.
    for p in partners:
        link(cluster_org, p, LinkKind.OTHER)
    for firm in rng.sample(small[:40], 8):
        link(rng.choice(infrastructure), firm, LinkKind.OTHER)
    link(cluster_org, infrastructure[0], LinkKind.OTHER)

    assert not {m.id for m in isolated + candidate_firms + former_firms[1:]} & {
        x for lk in links for x in (lk.source, lk.target)
    }, "isolated members, candidates and most former members must stay unlinked"

    members, links = _registry_facts(list(b.members), links, random.Random(seed + 1000), isolated)
    settings = ClusterSettings(
        name=DEMO_NAME, centre_lat=DEMO_CENTRE[0], centre_lon=DEMO_CENTRE[1], radius_km=DEMO_RADIUS_KM,
    )
    return members, links, settings


#: Towns of the demo on the Russian list of single-industry towns (моногорода).
_MONOTOWNS = ("г. Набережные Челны", "г. Нижнекамск")


def _registry_facts(
    members: list[Member], links: list[Link], rng: random.Random, isolated: list[Member]
) -> tuple[list[Member], list[Link]]:
    """Output, special territories, contract volumes and the newer link kinds (format 3).

    Uses its own random stream, so the roster and links above stay as earlier releases made them.
    """
    out: list[Member] = []
    output: dict[str, float] = {}
    for m in members:
        changes: dict[str, object] = {}
        if m.kind is MemberKind.FIRM and m.employees and m.lat is not None:
            output[m.id] = round(m.employees * rng.uniform(2.5e6, 6e6), -3)
            changes["output"] = output[m.id]
        if any(town in m.address for town in _MONOTOWNS):
            changes["special_territory"] = SpecialTerritory.SINGLE_INDUSTRY_TOWN
        out.append(replace(m, **changes) if changes else m)  # type: ignore[arg-type]
    firm = next((m for m in isolated if m.kind is MemberKind.FIRM), None)
    if firm is not None:  # a firm still setting up its production (Decree 779, 2020 amendment)
        out = [replace(m, organising_production=True) if m.id == firm.id else m for m in out]
    by_id = {m.id: m for m in out}
    new_links: list[Link] = []
    for i, lk in enumerate(links):
        if lk.kind is LinkKind.SUPPLY and lk.share is not None:
            volume = round(lk.share * output[lk.source], -3) if lk.source in output else None
            kind = LinkKind.PRODUCTION_SERVICES if i % 5 == 4 else LinkKind.SUPPLY
            contract = f"№ {i + 1:03d}/{(lk.start or '')[:4]}"
            new_links.append(replace(lk, kind=kind, volume=volume, contract=contract))
        else:
            new_links.append(lk)
    firms = [m for m in out if m.kind is MemberKind.FIRM and m.status is Status.MEMBER and m.id in output]
    firms.sort(key=lambda m: -(m.employees or 0))
    authority = next(m for m in out if m.kind is MemberKind.AUTHORITY and m.status is Status.MEMBER)

    def add(a: Member, c: Member, kind: LinkKind, start: str, volume: float | None = None) -> None:
        new_links.append(Link(a.id, c.id, kind, id=_uid(rng), start=start, volume=volume))

    add(firms[0], firms[1], LinkKind.IMPORT_SUBSTITUTION, "2022-09-01", 4.5e8)
    add(authority, firms[0], LinkKind.SPECIAL_INVESTMENT, "2021-03-15")
    small = [m for m in firms if (m.employees or 0) <= 100 and by_id[m.id].lat is not None]
    for a, c in zip(small[0:12:2], small[1:12:2], strict=False):  # SMEs: joint export and procurement
        add(a, c, LinkKind.JOINT_PROJECT, "2024-02-01")
    return out, new_links
