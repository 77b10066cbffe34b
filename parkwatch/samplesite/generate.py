"""Deterministic synthetic sample-site records for large fixture sites and benchmarks."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from parkwatch.samplesite.render import SECTION_NAMES

DEFAULT_SECTIONS = [
    "business/parks", "business/industries", "business/planning", "business/guide",
    "business/overview", "companies", "government", "news",
]

DISTRICTS = [
    "Songbei", "Daoli", "Nangang", "Daowai", "Xiangfang", "Pingfang", "Hulan", "Acheng",
    "Shuangcheng", "Bin county", "Wuchang", "Shangzhi", "Yilan", "Fangzheng", "Tonghe", "Mulan",
    "Yanshou", "Bayan",
]
ZONE_KINDS = [
    "Economic Development Zone", "High-tech Industrial Development Zone", "Industrial Park",
    "Eco-Industrial Park", "Logistics Park", "Science and Technology Park",
    "Bonded Logistics Center", "Agricultural Science and Technology Park", "Food Industrial Park",
    "Digital Economy Industrial Park", "Equipment Manufacturing Park", "Green Materials Park",
]
INDUSTRIES = [
    "biomedicine", "new materials", "equipment manufacturing", "food processing", "aerospace",
    "graphite products", "robotics", "new energy vehicles", "cold-chain logistics",
    "digital economy", "green building materials", "forest products", "software",
    "rice processing", "soybean processing", "dairy", "semiconductors", "clean energy",
    "medical devices", "precision instruments", "electric motors", "pet food", "feed additives",
    "cross-border e-commerce", "ice-and-snow equipment", "organic fertilizer", "bearings",
    "welding equipment", "hydrogen energy", "industrial software",
]
PRODUCTS = [
    "battery housings", "frozen dumplings", "drug capsules", "carbon fiber sheets",
    "wind turbine blades", "rice flour", "soy protein", "ski boots", "infant formula",
    "drone parts", "optical lenses", "heat pumps", "vaccine vials", "graphene film",
    "tractor gearboxes", "transformer cores", "pine nut snacks", "birch sap drinks",
    "server racks", "hospital beds", "snow groomers", "pressure sensors", "beer malt",
    "seed coatings", "LED modules", "fire-resistant boards",
]
SYLLABLES = [
    "Bei", "Long", "Xin", "Hua", "Tian", "Jin", "Rui", "Heng", "Yuan", "Sheng", "Feng", "Kang",
    "Tai", "Hong", "Da", "Zhong", "Ming", "Ji", "An", "Chuang", "Bo", "Lian", "Hai", "Song",
]
COMPANY_KINDS = [
    "Precision Machinery", "Biotech", "Food", "New Materials", "Technology", "Pharmaceutical",
    "Intelligent Equipment", "Logistics", "Energy", "Agricultural Products", "Electronics",
    "Auto Parts", "Medical", "Dairy", "Environmental Technology",
]
SURNAMES = ["Liao", "Zhang", "Wang", "Li", "Zhao", "Liu", "Chen", "Sun", "Ma", "Guo", "Yu",
            "Han", "Gao", "Xu", "Song", "Tang"]
GIVEN = ["Wei", "Lei", "Jing", "Hui", "Yan", "Tao", "Min", "Qiang", "Ying", "Bo", "Xin", "Hong",
         "Jun", "Na", "Peng", "Rong"]
PERIODS = ["In the first quarter", "In the first half of this year", "Last year",
           "In the first three quarters", "From January to May", "In the Jan-to-April period",
           "In the first two months", "This year so far", "From January to October"]
PLACES = ["Central Street", "Sun Island", "Songhua River", "St Sophia Cathedral", "Zhaolin Park",
          "the Harbin Grand Theatre", "the Harbin Opera House", "Siberian Tiger Park",
          "Volga Manor", "Yabuli ski resort", "the Harbin Polar Park", "Laodaowai area",
          "the Heilongjiang Provincial Museum", "Jile Temple", "Harbin Railway Station",
          "Qunli Wetland Park"]
NONPARK_TOPICS = ["tourism", "culture", "schools", "transport", "health", "sports",
                  "environment", "community services"]
WORD_NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]
SHARES = ["one-fifth", "one-third", "one-quarter", "one-tenth", "two-fifths", "half"]
RECURRING_TEASER = {
    "title": "Harbin opens more community canteens for seniors",
    "lead": "Eleven community canteens offering low-cost meals to elderly residents opened in…",
}
YUAN_PER_USD = {2013: 6.19, 2014: 6.14, 2015: 6.23, 2016: 6.64, 2017: 6.75, 2018: 6.62,
                2019: 6.9, 2020: 6.9, 2021: 6.45, 2022: 6.73, 2023: 7.08, 2024: 7.18}

# ---------------------------------------------------------------- templates

PARK_TITLES = [
    "{zone} signs {n} projects worth {bn} billion yuan",
    "{district} {kind_short} sees {ind} output rise {pct} percent",
    "{company} settles in {zone}",
    "{company} starts production of {prod} in {district}",
    "{zone} attracts {n} {ind} enterprises",
    "{period_short}: {zone} investment up {pct} percent",
    "Harbin plans {ind} industrial park in {district}",
    "{zone} builds {area}-square-meter incubator for {ind} startups",
    "{ind_cap} cluster takes shape in {district}",
    "{zone} ranks among top development zones in Heilongjiang",
    "{company} expands {prod} plant in {zone}",
    "{district} zone's foreign trade hits {bn} billion yuan",
    "New {ind} projects break ground in {zone}",
    "{zone} cuts approval time for {ind} projects to {small} days",
]
NONPARK_TITLES = [
    "{place} draws {thousand} visitors during holiday",
    "Harbin to open {small} new {facility} in {district}",
    "{district} residents enjoy new {facility}",
    "Harbin hosts {event} with {n} participants",
    "Volunteers in {district} help {group}",
    "Harbin adds {n} bus routes ahead of {season}",
    "{place} to extend opening hours in {season}",
    "Harbin schools in {district} get {small} new {facility}",
]
PARK_LEADS = [
    "The {zone} in Harbin, capital of Heilongjiang province, {lead_verb} {period_lc}, the zone's "
    "management committee said on {weekday}.",
    "{company}, a maker of {prod}, has {moved} the {zone}, bringing an investment of {money}.",
    "{district} district is stepping up efforts to build its {kind_lc} into a base for {ind} and "
    "{ind2}, local officials said.",
    "A batch of {n} {ind} projects with a total investment of {money} {started} in the {zone} on "
    "{weekday}.",
    "Harbin released a plan on {weekday} to develop an industrial park for {ind} in {district}, "
    "covering {sqkm} square kilometers.",
    "The {zone} reported {adj} growth in its main economic indicators {period_lc}, according to "
    "figures released by the zone.",
]
PARK_SENTENCES = [
    "{period}, the output value of industries above designated size in the zone reached {money}, "
    "up {pct} percent year-on-year.",
    "Fixed-asset investment in the {kind_lc} grew by {pct} percent, with {n} projects under "
    "construction, {word} of them worth more than {m100} million yuan each.",
    "The zone's tax revenue exceeded {bn} billion yuan, accounting for {share} of {district}'s "
    "total.",
    "{company} plans to invest {money} in a {area}-square-meter production base for {prod}, "
    "which is expected to create {jobs} jobs.",
    "The {ind} industry generated revenue of {money}, a year-on-year increase of {pct} percent.",
    "The number of high-tech enterprises in the zone reached {n3}, accounting for {share} of the "
    "city's total.",
    "During the same period, {word} enterprises were rated as national green factories and "
    "{word2} as provincial-level digital workshops.",
    "The {kind_lc} has set aside {area} square meters of standard factory buildings for {ind} "
    "companies, with rent waived for the first {word} years.",
    "{period}, the zone's foreign trade volume totaled {money}, {pp} percentage points higher than "
    "the provincial average.",
    "Officials said the zone aims to raise the output value of its {ind} industry to {bn} billion "
    "yuan by {future}.",
    "The project, covering {mu} mu, includes {word} production lines for {prod} and a research "
    "center for {ind2}.",
    "The zone signed {n} investment agreements in {month}, with a total contract value of "
    "{money}, mainly in {ind} and {ind2}.",
    "Industrial added value in the zone increased by {pct} percent compared to the same period in "
    "{last_year}.",
    "{district} has introduced {small} measures to cut costs for companies in the zone, "
    "including electricity subsidies and faster customs clearance for {prod}.",
    "Once completed, the plant will turn out {units} {prod} a year, with annual sales expected to "
    "exceed {money}.",
    "The zone's {ind} output grew {ratio} times from {y1} to {y2}, while its workforce rose to "
    "{jobs}.",
    "A {m100}-million-yuan ({usd_m}) deal to supply {prod} to buyers in Russia was signed at the "
    "ceremony.",
    "Local authorities have completed roads, heating pipes and power lines for {sqkm} square "
    "kilometers of land in the {kind_lc}.",
    "Enterprises above designated size in the zone numbered {n3} at the end of {month}, {word} "
    "more than a year earlier.",
    "The general manager of {company} said the zone's rail links and talent pool from local "
    "universities were decisive for the move.",
    "{period}, the zone's retail sales of consumer goods reached {money}, up {pct} percent.",
    "The {kind_lc} now hosts {n3} companies, including {word} listed firms, and employs about "
    "{jobs} people.",
    "Exports of {prod} from the zone rose by {pct} percent year-on-year, mostly to Russia, South "
    "Korea and Japan.",
    "The zone ranked {ordinal} among the province's {n} development zones in the annual "
    "evaluation, up {word} places.",
    "Some {area} square meters of new workshops will be handed over to {ind2} companies before "
    "{month}.",
    "With a planned investment of {money}, the second phase will focus on {ind2} and is scheduled "
    "for completion in {future}.",
    "The zone's research institutions, {n} of them at provincial level or above, filed {n3} "
    "patent applications {period_lc}.",
    "Water, power and gas connections for new projects in the zone are now approved within "
    "{small} working days, officials said.",
    "The zone's logistics center handled {units} metric tons of goods, a growth of {pct} "
    "percent.",
    "{company} reported that its {prod} orders had risen by {pct} percent since it moved to the "
    "{kind_lc}.",
]
PARK_SUBHEADS = ["Projects on track", "Talent support", "{district} builds {ind} base",
                 "Next steps", "{ind_cap} drives growth", "Opening up"]
NONPARK_SENTENCES = [
    "The {facility} in {district} will open to the public on {weekday}, the district government "
    "said.",
    "About {thousand} people visited {place} during the {season} holiday, up {pct} percent from a "
    "year earlier.",
    "The city will spend {m100} million yuan on the project, which includes {small} "
    "{facility_pl}.",
    "Residents can book places through a mobile app from {month}, officials said.",
    "{event_cap} attracted {n} participants from {word} provinces and regions.",
    "\"It is much more convenient now,\" said a resident surnamed {surname} who lives in "
    "{district}.",
    "The municipal bureau said it would add more {facility_pl} in {district} and {district2} "
    "next year.",
    "Organizers said the program would run until the end of {month}.",
    "{place} will stay open until {hour} pm on weekends during the {season} season.",
    "More than {n} volunteers took part, most of them students from local universities.",
    "Tickets cost {price} yuan, with discounts for children and seniors.",
    "The {facility} covers {area} square meters and can serve {n3} people a day.",
    "Traffic police will set up {small} temporary parking lots near {place}.",
    "The city received {thousand} tourist visits {period_lc}, with tourism revenue of {bn} "
    "billion yuan.",
    "Heating in {district}'s older residential buildings was upgraded for {n3} households before "
    "the cold set in.",
    "A shuttle bus will link {place} with the nearest metro station every {small} minutes.",
    "The {event} has been held in Harbin every year since {y1}, except for a pause of {word} "
    "years.",
    "Doctors from {small} city hospitals will give free check-ups to {group} in {month}.",
    "Police reminded visitors to {place} to keep warm and watch out for icy pavements.",
    "The district has also trained {n} staff to run the {facility_pl}, officials said.",
]
NONPARK_LEADS = [
    "Harbin will open {small} new {facility_pl} in {district} this year to serve {group}, the "
    "municipal government said on {weekday}.",
    "{place} welcomed {thousand} visitors on {weekday} as the {season} season got under way in "
    "Harbin.",
    "{event_cap} opened in Harbin on {weekday}, drawing {n} participants from across the country.",
    "Volunteers in {district} district have started a program to help {group}, the district's "
    "civilization office said.",
]
FACILITIES = ["community canteen", "public library branch", "sports park", "childcare center",
              "skating rink", "health clinic", "senior activity center", "bike lane",
              "public toilet", "pocket park"]
EVENTS = ["the Harbin Marathon", "an ice sculpture contest", "a summer beer festival",
          "a youth violin competition", "a winter swimming contest", "a lantern fair",
          "a book fair", "a folk music week", "a robotics contest", "a classic car parade"]
GROUPS = ["elderly residents", "migrant workers' children", "people with disabilities",
          "new parents", "sanitation workers", "students from rural areas"]
SEASONS = ["winter", "summer", "Spring Festival", "National Day", "May Day"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]


class _Fields(dict[str, str]):
    """Lazily generated template slot values; per-record context plus fresh random figures."""

    def __init__(self, rng: random.Random, ctx: dict[str, str], rate: float, year: int) -> None:
        super().__init__(ctx)
        self.rng = rng
        self.rate = rate
        self.year = year

    def __missing__(self, key: str) -> str:
        r = self.rng
        value: str
        if key == "money":
            value = _money(r, self.rate)
        elif key == "pct":
            value = f"{r.uniform(1.5, 48):.1f}"
        elif key == "pp":
            value = f"{r.uniform(0.5, 18):.1f}"
        elif key == "bn":
            value = f"{r.uniform(1, 160):.2f}".rstrip("0").rstrip(".")
        elif key == "n":
            value = str(r.randint(10, 95))
        elif key == "n3":
            value = f"{r.randint(120, 2400):,}"
        elif key == "small":
            value = str(r.randint(3, 20))
        elif key in ("word", "word2"):
            value = r.choice(WORD_NUMBERS)
        elif key == "share":
            value = r.choice(SHARES)
        elif key == "area":
            value = f"{r.randint(8, 420) * 1000:,}"
        elif key == "sqkm":
            value = f"{r.uniform(0.8, 30):.1f}"
        elif key == "mu":
            value = f"{r.randint(40, 3000):,}"
        elif key == "jobs":
            value = f"{r.randint(80, 9000):,}"
        elif key == "units":
            value = f"{r.randint(2, 900) * 1000:,}"
        elif key == "m100":
            value = str(r.randint(1, 40) * 50)
        elif key == "usd_m":
            value = f"${r.uniform(5, 300):.1f} million"
        elif key == "ratio":
            value = f"{r.uniform(1.1, 3.5):.1f}"
        elif key == "y1":
            value = str(self.year - r.randint(3, 6))
        elif key in ("y2", "last_year"):
            value = str(self.year - 1)
        elif key == "future":
            value = str(self.year + r.randint(2, 6))
        elif key == "month":
            value = r.choice(MONTHS)
        elif key == "weekday":
            value = r.choice(WEEKDAYS)
        elif key == "ordinal":
            value = r.choice(ORDINALS)
        elif key == "thousand":
            value = f"{r.randint(12, 980) * 1000:,}"
        elif key == "price":
            value = str(r.randint(4, 60) * 10)
        elif key == "hour":
            value = str(r.randint(8, 11))
        elif key == "surname":
            value = r.choice(SURNAMES)
        elif key == "district2":
            value = r.choice([d for d in DISTRICTS if d != self["district"]])
        elif key == "facility_pl":
            fac = self["facility"]
            value = fac + ("es" if fac.endswith(("ch", "sh", "s")) else "s")
        else:
            raise KeyError(key)
        return value


def _money(r: random.Random, rate: float) -> str:
    if r.random() < 0.6:
        yuan = r.uniform(1.2, 180)
        usd = yuan / (rate * r.uniform(0.995, 1.005))
        space = "" if r.random() < 0.1 else " "
        return f"{yuan:.2f} billion yuan{space}(${usd:.2f} billion)"
    yuan_m = r.randint(30, 990)
    usd_m = yuan_m / rate
    return f"{yuan_m} million yuan (${usd_m:.1f} million)"


def _company(r: random.Random) -> str:
    a, b = r.sample(SYLLABLES, 2)
    return f"Harbin {a}{b.lower()} {r.choice(COMPANY_KINDS)} Co"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    keep = min(len(words) - 1, rng.randint(9, 14))
    return " ".join(words[:keep]).rstrip(",;:") + rng.choice(["…", "..."])


def _fmt(template: str, fields: _Fields) -> str:
    return _cap(template.format_map(fields))


def generate_records(n: int, sections: list[str] | None = None, start_id: int = 10000,
                     seed: int = 0, start_date: date = date(2015, 1, 1)) -> list[dict[str, Any]]:
    """`n` synthetic article records (same schema as articles.json), ids and dates rising."""
    rng = random.Random(seed)
    secs = list(sections) if sections else list(DEFAULT_SECTIONS)
    records: list[dict[str, Any]] = []
    titles: set[str] = set()
    day = start_date
    next_id = start_id
    for i in range(n):
        day += timedelta(days=rng.choice((0, 1, 1, 2, 2, 3)))
        next_id += rng.randint(1, 4)
        section = secs[i % len(secs)] if i < len(secs) else rng.choice(secs)
        is_park = rng.random() < 0.6
        rate = YUAN_PER_USD.get(day.year, 7.2 if day.year > 2024 else 6.2)
        zone_district = rng.choice(DISTRICTS)
        kind = rng.choice(ZONE_KINDS)
        ind, ind2 = rng.sample(INDUSTRIES, 2)
        ctx = {
            "district": zone_district,
            "zone": f"{zone_district} {kind}",
            "kind_lc": kind.lower(),
            "kind_short": kind.split()[-2].lower() + " " + kind.split()[-1].lower(),
            "ind": ind,
            "ind2": ind2,
            "ind_cap": _cap(ind),
            "prod": rng.choice(PRODUCTS),
            "company": _company(rng),
            "period": (period := rng.choice(PERIODS)),
            "period_lc": period[0].lower() + period[1:],
            "period_short": period.removeprefix("In the ").removeprefix("From "),
            "lead_verb": rng.choice(["posted rapid growth", "set new records",
                                     "kept up steady growth", "beat its targets"]),
            "moved": rng.choice(["moved into", "settled in", "opened a plant in"]),
            "started": rng.choice(["started construction", "broke ground", "were launched"]),
            "adj": rng.choice(["fast", "steady", "double-digit", "record"]),
            "place": rng.choice(PLACES),
            "facility": rng.choice(FACILITIES),
            "event": (event := rng.choice(EVENTS)),
            "event_cap": _cap(event),
            "group": rng.choice(GROUPS),
            "season": rng.choice(SEASONS),
        }
        fields = _Fields(rng, ctx, rate, day.year)
        title_tpls = PARK_TITLES if is_park else NONPARK_TITLES
        title = ""
        for _attempt in range(10):
            title = _fmt(rng.choice(title_tpls), _Fields(rng, ctx, rate, day.year))
            if title not in titles:
                break
        if title in titles:
            title = f"{title} ({next_id})"
        titles.add(title)

        lead = _fmt(rng.choice(PARK_LEADS if is_park else NONPARK_LEADS), fields)
        pool = PARK_SENTENCES if is_park else NONPARK_SENTENCES
        k = rng.randint(5, 8) if is_park else rng.randint(4, 6)
        picked = rng.sample(pool, k)
        paragraphs = [lead]
        j = 0
        while j < len(picked):
            per = rng.choice((1, 1, 2))
            chunk = picked[j:j + per]
            j += per
            paragraphs.append(" ".join(
                _fmt(t, _Fields(rng, ctx, rate, day.year)) for t in chunk))
            if is_park and j < len(picked) and rng.random() < 0.08:
                paragraphs.append(_fmt(rng.choice(PARK_SUBHEADS), fields))

        published = day
        roll = rng.random()
        if roll < 0.005:
            published = day - timedelta(days=rng.randint(1080, 1110))
        elif roll < 0.25:
            published = day - timedelta(days=rng.randint(1, 130))
        breadcrumb: str | None = SECTION_NAMES.get(section)
        if section == "business/planning" or rng.random() < 0.07:
            breadcrumb = None
        author: str | None = None
        source = "e.my399.com"
        if rng.random() < 0.25:
            source = rng.choice(["chinadaily.com.cn", "China Daily", "Xinhua"])
            given = rng.choice(GIVEN)
            author = f"{rng.choice(SURNAMES)} {given.lower() if rng.random() < 0.3 else given}"
        captions: list[str] = []
        if rng.random() < 0.3:
            captions.append("[Photo/MY399.COM]" if rng.random() < 0.6 else
                            f"{day:%Y%m%d}{rng.randint(80000, 175959):06d}.jpg")
        teasers: list[dict[str, str]] = []
        if rng.random() < 0.55 and records:
            count = rng.choice((1, 1, 1, 2, 2, 3, 4))
            for other in rng.sample(records[-60:], min(count, len(records[-60:]))):
                teasers.append({"title": other["title"],
                                "lead": _shorten(other["paragraphs"][0], rng)})
            if rng.random() < 0.15:
                teasers[-1] = dict(RECURRING_TEASER)
        paginated = rng.random() < 0.06
        record: dict[str, Any] = {
            "section": section,
            "url_date": day.isoformat(),
            "id": next_id,
            "title": title,
            "published": published.isoformat(),
            "breadcrumb": breadcrumb,
            "author": author,
            "byline_source": source,
            "paragraphs": paragraphs,
            "captions": captions,
            "paginated": paginated,
            "teasers": teasers,
            "topics": ["industrial-parks"] if is_park else [],
            "note": "synthetic",
        }
        if paginated:
            pages = rng.randint(2, 8)
            record["pagination"] = rng.choice([
                f"1/{pages} " + " ".join(str(p) for p in range(1, min(pages, 5) + 1))
                + " 下一页 尾页",
                "Next lastpage",
            ])
        records.append(record)
    return records
