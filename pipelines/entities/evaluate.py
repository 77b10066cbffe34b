"""Scoring entity linking and series against labelled articles: series pairwise and B-cubed
F1, entity accuracy on the facts' mentions, measure accuracy, and the pairs across languages.

Labelled articles are written in an annotated text format (tests/parks/*.txt):

    === site=hrbkfq lang=zh published=2023-03-15 about=etdz:harbin home=etdz:harbin url=/a/1
    title: 哈尔滨经开区前两个月经济运行平稳
    1-2月，全区实现规上工业总产值{98.6亿元|etdz:harbin|industrial_output_value|level|2023-01..2023-02}…

Each figure is `{as written|entity|measure|kind|period|status}` (status O outcome, T target,
C comparison; "-" for none; status may be left out for an outcome). The figure's value and
unit are what the extractor reads of the words as written alone (a plain number is a count);
a provisional entity's id is the one pipelines.entities.names.provisional_id makes of its
kind and place (etdz:anda for 安达经济技术开发区). The gold series is the key
those gold fields make (pipelines.entities.link.series_key), so a series is labelled by
labelling entity, measure, kind and period — the granularity follows from the period.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipelines.metrics.evaluate import match_facts
from pipelines.metrics.extract import extract_facts
from pipelines.metrics.status import granularity

from .gazetteer import default_gazetteer
from .link import link_article, series_key
from .series import Observation, Point, points

_FIGURE_RE = re.compile(r"\{([^{}|]+)\|([^{}|]+)\|([^{}|]+)\|([^{}|]+)\|([^{}|]+)(?:\|([OTC]))?\}")
_STATUS = {"O": "outcome", "T": "target", "C": "comparison", None: "outcome"}


@dataclass
class GoldFact:
    value: float
    unit: str
    entity: str | None
    measure: str | None
    kind: str
    period: str | None
    status: str
    basis: str | None
    start: int

    @property
    def series(self) -> str | None:
        return series_key(self.entity, self.measure, self.kind, self.basis,
                          granularity(self.period), self.unit, self.status)


@dataclass
class Article:
    site: str
    language: str
    published: dt.date
    about: str | None
    home: str | None
    url: str
    title: str
    text: str
    gold: list[GoldFact] = field(default_factory=list)


def _none(value: str) -> str | None:
    return None if value.strip() == "-" else value.strip()


_PLAIN_NUMBER_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _figure(words: str, published: dt.date) -> tuple[float, str, str | None]:
    """The value, unit and basis of an annotated figure: what the extractor reads of the
    words alone, a plain number ("214", "1,420") being a count."""
    if _PLAIN_NUMBER_RE.fullmatch(words):
        return float(words.replace(",", "")), "count", None
    facts = extract_facts(words, published)
    if len(facts) != 1:
        raise ValueError(f"annotated figure {words!r} reads as {len(facts)} facts")
    return facts[0].value, facts[0].unit, facts[0].basis


def parse_articles(source: str) -> list[Article]:
    """The labelled articles of an annotated file (the module docstring's format)."""
    articles: list[Article] = []
    for block in source.split("=== ")[1:]:
        header, _, rest = block.partition("\n")
        meta = dict(item.split("=", 1) for item in header.split())
        title_line, _, body = rest.partition("\n")
        if not title_line.startswith("title: "):
            raise ValueError(f"article {meta.get('url')}: no title line")
        published = dt.date.fromisoformat(meta["published"])
        article = Article(meta["site"], meta["lang"], published, _none(meta.get("about", "-")),
                          _none(meta.get("home", "-")), meta.get("url", ""),
                          title_line[len("title: "):].strip(), "")
        text = []
        pos = 0
        cursor = 0
        for m in _FIGURE_RE.finditer(body):
            text.append(body[pos:m.start()])
            cursor += m.start() - pos
            words = m.group(1)
            value, unit, basis = _figure(words, published)
            article.gold.append(GoldFact(value, unit, _none(m.group(2)), _none(m.group(3)),
                                         m.group(4).strip(), _none(m.group(5)),
                                         _STATUS[m.group(6)], basis, cursor))
            text.append(words)
            cursor += len(words)
            pos = m.end()
        text.append(body[pos:])
        article.text = "".join(text).strip("\n")
        if "{" in article.text or "}" in article.text:
            raise ValueError(f"article {article.url}: a malformed figure annotation")
        articles.append(article)
    return articles


@dataclass
class Item:
    """One fact to cluster: a gold fact (matched to a prediction or not) or a spurious one."""

    article: int
    language: str
    gold_series: str | None
    predicted_series: str | None


def _pairs(items: Sequence[Item], label: str) -> set[tuple[int, int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        key = getattr(item, label)
        if key is not None:
            groups[key].append(i)
    return {(a, b) for members in groups.values() for ai, a in enumerate(members)
            for b in members[ai + 1:]}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _bcubed(items: Sequence[Item]) -> tuple[float, float]:
    gold: dict[str, set[int]] = defaultdict(set)
    pred: dict[str, set[int]] = defaultdict(set)
    for i, item in enumerate(items):
        if item.gold_series:
            gold[item.gold_series].add(i)
        if item.predicted_series:
            pred[item.predicted_series].add(i)
    scored = [i for i, item in enumerate(items) if item.gold_series or item.predicted_series]
    if not scored:
        return 1.0, 1.0
    precision = recall = 0.0
    for i in scored:
        gold_key, pred_key = items[i].gold_series, items[i].predicted_series
        g = gold[gold_key] if gold_key else {i}
        p = pred[pred_key] if pred_key else {i}
        precision += len(g & p) / len(p)
        recall += len(g & p) / len(g)
    return precision / len(scored), recall / len(scored)


def _points_score(gold: list[Observation], predicted: list[Observation]) -> dict[str, int]:
    """Points with several sources and conflicts, gold against predicted, each point compared
    by its period, value and the articles that report it."""
    def keyed(obs: list[Observation]) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
        made = points(obs)
        def key(p: Point) -> tuple[object, ...]:
            return (frozenset(p.sources), p.period, float(f"{p.value:.4g}"))
        several = {key(p) for p in made if len(set(p.sources)) > 1}
        return several, {key(p) for p in made if p.conflict}
    gold_several, gold_conflicts = keyed(gold)
    pred_several, pred_conflicts = keyed(predicted)
    return {"several_sources": len(gold_several),
            "several_sources_found": len(gold_several & pred_several),
            "several_sources_predicted": len(pred_several),
            "conflicts": len(gold_conflicts),
            "conflicts_found": len(gold_conflicts & pred_conflicts),
            "conflicts_predicted": len(pred_conflicts)}


def _entity_accuracy(pairs: list[tuple[str | None, str | None]]) -> float:
    """The share of facts linked to their gold entity. An entity the gazetteer does not know
    has no id the gold can spell in advance, so each is aligned one-to-one with the predicted
    id most of its facts got (the way B-cubed aligns clusters): a provisional entity counts as
    right when it is one entity of its own, never when two zones share one id."""
    known = default_gazetteer().entities
    votes: dict[str, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for gold, got in pairs:
        if gold is not None and gold not in known:
            votes[gold][got] += 1
    aligned: dict[str, str | None] = {}
    taken: set[str] = set()
    ranked = sorted(((n, g, p) for g, row in votes.items() for p, n in row.items() if p),
                    key=lambda t: (-t[0], t[1], str(t[2])))
    for _, gold_id, got_id in ranked:
        if gold_id not in aligned and got_id is not None and got_id not in taken \
                and got_id not in known:
            aligned[gold_id] = got_id
            taken.add(got_id)
    right = sum(got == (aligned.get(gold) if gold is not None and gold not in known else gold)
                for gold, got in pairs)
    return right / len(pairs) if pairs else 1.0


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass
class Scores:
    """What score() measures: series pairwise and B-cubed, the pairs across languages, entity
    and measure accuracy, points with several sources and conflicts, and every error."""

    facts: int
    items: int
    gold_pairs: int
    pairwise: PRF
    bcubed: PRF
    cross_language: PRF
    cross_language_pairs: int
    entity_accuracy: float
    measure_accuracy: float
    points: dict[str, int]
    errors: list[dict[str, object]]

    def figures(self) -> dict[str, float]:
        """The headline figures the floors are set on."""
        return {"pairwise": self.pairwise.f1, "bcubed": self.bcubed.f1,
                "cross_language": self.cross_language.f1, "entity": self.entity_accuracy,
                "measure": self.measure_accuracy}

    def summary(self) -> dict[str, object]:
        """Everything but the errors, JSON-ready."""
        return {"facts": self.facts, "gold_pairs": self.gold_pairs,
                "cross_language_pairs": self.cross_language_pairs,
                **{k: round(v, 4) for k, v in self.figures().items()},
                "pairwise_precision": round(self.pairwise.precision, 4),
                "pairwise_recall": round(self.pairwise.recall, 4),
                "cross_language_precision": round(self.cross_language.precision, 4),
                "cross_language_recall": round(self.cross_language.recall, 4),
                "points": self.points}


def score(articles: Iterable[Article]) -> Scores:
    """Every figure the scorer reports (see the module docstring), with the errors listed."""
    items: list[Item] = []
    gold_obs: list[Observation] = []
    pred_obs: list[Observation] = []
    measure_right = n_gold = 0
    entity_pairs: list[tuple[str | None, str | None]] = []  # (gold, predicted) per gold fact
    errors: list[dict[str, object]] = []
    for index, article in enumerate(articles):
        facts = extract_facts(article.text, article.published)
        links = link_article(article.title, article.text, facts, article.home).links
        predicted = [{"value": f.value, "unit": f.unit} for f in facts]
        gold = [{"value": g.value, "unit": g.unit} for g in article.gold]
        matched = match_facts(gold, predicted)
        for gi, g in enumerate(article.gold):
            n_gold += 1
            pi = matched.get(gi)
            link = links[pi] if pi is not None else None
            entity_ok = link is not None and link.entity_id == g.entity
            measure_ok = link is not None and link.measure == g.measure
            entity_pairs.append((g.entity, link.entity_id if link else None))
            measure_right += measure_ok
            got = link.series_key if link else None
            if not (entity_ok and measure_ok) or got != g.series:
                errors.append({"url": article.url, "figure": article.text[g.start:g.start + 16],
                               "gold": (g.entity, g.measure, g.series),
                               "got": (link.entity_id, link.measure, got) if link else None})
            items.append(Item(index, article.language, g.series, got))
            if g.series and g.period:
                gold_obs.append(Observation(g.series, g.period, g.value, source=index))
        for fact, fact_link in zip(facts, links, strict=True):
            if fact_link.series_key and fact.period:
                pred_obs.append(Observation(fact_link.series_key, fact.period, fact.value,
                                            fact.qualifier, index))
        for pi in set(range(len(facts))) - set(matched.values()):
            items.append(Item(index, article.language, None, links[pi].series_key))
            if links[pi].series_key:
                errors.append({"url": article.url, "spurious": facts[pi].sentence[:40],
                               "got": links[pi].series_key})
    gold_pairs, pred_pairs = _pairs(items, "gold_series"), _pairs(items, "predicted_series")
    cross = {p for p in gold_pairs if items[p[0]].language != items[p[1]].language}
    cross_pred = {p for p in pred_pairs if items[p[0]].language != items[p[1]].language}
    return Scores(facts=n_gold, items=len(items), gold_pairs=len(gold_pairs),
                  pairwise=_prf(gold_pairs, pred_pairs), bcubed=PRF(*_bcubed(items)),
                  cross_language=_prf(cross, cross_pred), cross_language_pairs=len(cross),
                  entity_accuracy=_entity_accuracy(entity_pairs),
                  measure_accuracy=measure_right / n_gold if n_gold else 1.0,
                  points=_points_score(gold_obs, pred_obs), errors=errors)


def _prf(gold: set[tuple[int, int]], predicted: set[tuple[int, int]]) -> PRF:
    both = len(gold & predicted)
    return PRF(both / len(predicted) if predicted else 1.0, both / len(gold) if gold else 1.0)
