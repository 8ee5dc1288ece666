"""What goes with better days, stated honestly: for each tag, type and field, a daily number's mean on days
with it beside days without (the same day, and the next), a Welch 95% interval, and only what holds after the
Benjamini–Hochberg false-discovery control across every comparison made. Pure."""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import NormalDist
from typing import NamedTuple

from generator.config import Metric
from generator.entries import DEFAULT_TYPE, INTENSITY_KEYS, TRUE_WORDS, Entry
from generator.stats import per_year, pooled_sd

MIN_DAYS = 30  # a number needs this many days of values before any pattern is shown from it
MIN_SIDE = 10  # a tag, type or field is compared only if used on this many of those days, and absent on as many
FALSE_DISCOVERY = 0.10  # the Benjamini–Hochberg rate: on average at most this share of what is shown is chance
CONFIDENCE = 0.95
SMALL = 0.1  # a difference below this share of a number's day-to-day spread is too small to matter: never shown


@dataclass(frozen=True)
class Pattern:
    """A number's mean on days with something beside days without: the difference (with − without), its
    interval, how many days are on each side, and whether the number is the next day's."""

    metric: Metric
    what: str  # as the sentence names it: "#walk", "a dream entry", "exercise"
    next_day: bool
    difference: float
    low: float
    high: float
    days_with: int
    days_without: int
    p: float  # its p-value; the normal tail (a lower bound) where that is past FALSE_DISCOVERY already

    @property
    def better(self) -> bool:
        """Whether the difference goes the metric's good way."""
        return (self.difference > 0) == self.metric.higher_is_better


@dataclass(frozen=True)
class Patterns:
    """What was compared and what holds: `shown` are the comparisons that pass the false-discovery control,
    largest difference (in the metric's own spread) first."""

    tested: int
    shown: tuple[Pattern, ...]
    metrics: tuple[Metric, ...]  # the numbers with enough days to be compared
    short: tuple[tuple[Metric, int], ...]  # the numbers with too few days yet: (metric, days so far)


def features(entry: Entry) -> set[str]:
    """What an entry has that a day can be with or without: its tags, its type (other than the plain one), and
    its fields written yes/no or as a number (`exercise:: yes`, `alcohol: 2`: yes, or above 0)."""
    found = {f"#{tag.name}" for tag in entry.tags}
    if entry.type != DEFAULT_TYPE:
        found.add(f"a {entry.type} entry")
    if entry.record is None and entry.card is None:  # a form's own numbers are that form's, not habits
        for key, value in entry.extra.items():
            if key not in INTENSITY_KEYS and _present(value):
                found.add(key)
    return found


def _present(value: object) -> bool:
    """Whether a field's value says yes: true, a yes word, or a number above 0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value > 0
    return isinstance(value, str) and value.strip().lower() in TRUE_WORDS


def find(entries: Sequence[Entry], metrics: Iterable[Metric]) -> Patterns:
    """Every daily number (not the questionnaires) against everything days can be with or without."""
    daily = [m for m in metrics if not m.questionnaire]
    keys = tuple(m.key for m in daily)
    days: list[date] = []
    used: dict[str, list[date]] = {}  # each feature's days, gathered once for every number and lag
    means: dict[str, dict[date, float]] = {key: {} for key in keys}
    for year_days, year_used, year_means in per_year(entries, ("patterns", keys), lambda year: _written(year, keys)):
        days += year_days  # (years share no day: each of their days once, in order, as from one pass over them all)
        for feature, feature_days in year_used.items():
            used.setdefault(feature, []).extend(feature_days)
        for key in keys:
            means[key].update(year_means[key])
    tried = sorted(item for item in used.items() if len(item[1]) >= MIN_SIDE)  # the others: too few days
    lags = [(day, day) for day in days], [(day, day + timedelta(days=1)) for day in days]  # for every number
    candidates: list[_Tested] = []
    usable, short, spread = [], [], {}
    for metric in daily:
        by_day = means[metric.key]
        if not by_day:
            continue
        if len(by_day) < MIN_DAYS:
            short.append((metric, len(by_day)))
            continue
        usable.append(metric)
        spread[metric.key] = pooled_sd(list(by_day.values())) or 1.0
        floor = SMALL * spread[metric.key]
        candidates += _compare(metric, by_day, lags[0], tried, floor, next_day=False)
        candidates += _compare(metric, by_day, lags[1], tried, floor, next_day=True)
    by_id = {id(c.pattern): c for c in candidates}
    kept = benjamini_hochberg([c.pattern for c in candidates], FALSE_DISCOVERY)
    shown = [_with_interval(by_id[id(p)]) for p in kept]
    shown.sort(key=lambda p: (-abs(p.difference) / spread[p.metric.key], p.what, p.next_day))
    return Patterns(len(candidates), tuple(shown), tuple(usable), tuple(short))


def _written(
    entries: Iterable[Entry], keys: Iterable[str]
) -> tuple[list[date], dict[str, list[date]], dict[str, dict[date, float]]]:
    """In one pass over the entries: their days, in order; each feature's days (features); and each number's mean
    on each day it was written. Kept for each year (per_year) as long as watch runs, so kept small: no set of
    features a day, no list of values. (get, not setdefault, in this loop over every entry: setdefault would make
    a new set or list each time.)"""
    days: dict[date, set[str]] = {}
    values: dict[str, dict[date, list[float]]] = {key: {} for key in keys}
    for entry in entries:
        day, written = entry.day, features(entry)
        found = days.get(day)
        if found is None:
            days[day] = written
        else:
            found |= written
        for key, value in entry.metrics.items():
            of_key = values.get(key)
            if of_key is not None:
                same_day = of_key.get(day)
                if same_day is None:
                    of_key[day] = [value]
                else:
                    same_day.append(value)
    used: dict[str, list[date]] = {}
    for day, found in days.items():
        for feature in found:
            feature_days = used.get(feature)
            if feature_days is None:
                used[_NAMES.setdefault(feature, feature)] = [day]
            else:
                feature_days.append(day)
    means = {key: {day: math.fsum(v) / len(v) for day, v in of_key.items()} for key, of_key in values.items()}
    return list(days), used, means


_NAMES: dict[str, str] = {}  # one string for each feature's name, however many years keep it


def _compare(
    metric: Metric,
    by_day: dict[date, float],
    lagged: Sequence[tuple[date, date]],
    used: Sequence[tuple[str, list[date]]],
    floor: float,
    next_day: bool,
) -> list[_Tested]:
    """Each feature (`used`: with its days, by name) used on ≥ MIN_SIDE of the compared days and absent on as
    many: the metric on those days (or on the day after each: `lagged` pairs each day written with the day whose
    number is compared) with it, beside the rest. A day is compared only if something was written on it, so that
    'without' means 'written, and without'. (math.fsum is exactly rounded, whatever the order of the values: each
    side's sums are the same numbers in any order.)"""
    compared = {day: by_day[later] for day, later in lagged if later in by_day}
    if len(compared) < MIN_DAYS:
        return []
    total = math.fsum(compared.values())
    squares = math.fsum(map(operator.mul, compared.values(), compared.values()))  # each v * v
    found = []
    for feature, feature_days in used:
        with_values = [compared[day] for day in feature_days if day in compared]
        n_with, n_without = len(with_values), len(compared) - len(with_values)
        if n_with < MIN_SIDE or n_without < MIN_SIDE:
            continue
        sum_with = math.fsum(with_values)
        squares_with = math.fsum(map(operator.mul, with_values, with_values))
        found.append(
            _welch(
                metric,
                feature,
                next_day,
                floor,
                (n_with, sum_with, squares_with),
                (n_without, total - sum_with, squares - squares_with),
            )
        )
    return found


class _Tested(NamedTuple):
    """A comparison made, its interval not yet worked out: the pattern (low and high its difference) and the
    standard error and degrees of freedom its interval needs."""

    pattern: Pattern
    error: float
    freedom: float


# Below this many standard errors past `floor`, a difference's p-value is above FALSE_DISCOVERY: the normal
# tail there is above it (by 3.4e-6 at the edge, more than t_two_sided's rounding error even at a billion
# degrees of freedom, where it is 7e-7; Welch's are at most the days compared), and Student's t's tail is
# heavier than the normal one at every t and any degrees of freedom. Such a comparison can never be shown
# (Benjamini–Hochberg keeps only p-values up to the rate), so its t tail is not worked out: at 10,000 entries,
# 97% of the comparisons.
_NEVER_SHOWN = NormalDist().inv_cdf(1 - FALSE_DISCOVERY / 2) * (1 - 1e-5)


def _welch(
    metric: Metric,
    what: str,
    next_day: bool,
    floor: float,
    with_: tuple[int, float, float],
    without: tuple[int, float, float],
) -> _Tested:
    """Welch's difference of two means from each side's count, sum and sum of squares; its p-value is that of
    a difference no larger than `floor` either way (so a difference too small to matter is never shown), or,
    where that is sure to be above FALSE_DISCOVERY, the normal tail (a lower bound of it, above the rate)."""
    (n1, s1, q1), (n2, s2, q2) = with_, without
    m1, m2 = s1 / n1, s2 / n2
    v1 = max(0.0, (q1 - n1 * m1 * m1) / (n1 - 1)) / n1  # the variance of each side's mean
    v2 = max(0.0, (q2 - n2 * m2 * m2) / (n2 - 1)) / n2
    difference = m1 - m2
    error = math.sqrt(v1 + v2)
    if error == 0:
        p = 1.0 if abs(difference) <= floor else 0.0
        return _Tested(Pattern(metric, what, next_day, difference, difference, difference, n1, n2, p), 0.0, 0.0)
    freedom = (v1 + v2) ** 2 / ((v1 * v1 / (n1 - 1) if v1 else 0) + (v2 * v2 / (n2 - 1) if v2 else 0))
    beyond = (abs(difference) - floor) / error
    if beyond <= 0:
        p = 1.0
    elif beyond < _NEVER_SHOWN:
        p = math.erfc(beyond / math.sqrt(2))
    else:
        p = t_two_sided(beyond, freedom)
    return _Tested(Pattern(metric, what, next_day, difference, difference, difference, n1, n2, p), error, freedom)


def _with_interval(tested: _Tested) -> Pattern:
    """The pattern with its Welch 95% interval (worked out only for what is shown: the t quantile takes five
    evaluations of the t tail)."""
    pattern, error, freedom = tested
    if error == 0:
        return pattern
    reach = t_quantile(1 - (1 - CONFIDENCE) / 2, freedom) * error
    return replace(pattern, low=pattern.difference - reach, high=pattern.difference + reach)


def benjamini_hochberg(patterns: Sequence[Pattern], rate: float) -> list[Pattern]:
    """The comparisons kept by the Benjamini–Hochberg step-up rule: with p-values sorted, the largest k whose
    p(k) ≤ k/m × rate, and every comparison up to it."""
    ordered = sorted(patterns, key=lambda p: p.p)
    m = len(ordered)
    kept = 0
    for rank, pattern in enumerate(ordered, start=1):
        if pattern.p <= rank / m * rate:
            kept = rank
    return ordered[:kept]


# Student's t, without a statistics package: the two-sided tail from the regularised incomplete beta
# function (its continued fraction, evaluated by the modified Lentz method), and the quantile by bisection on it.


def t_two_sided(t: float, freedom: float) -> float:
    """P(|T| ≥ |t|) for Student's t with `freedom` degrees of freedom (which need not be whole)."""
    x = freedom / (freedom + t * t)
    return _incomplete_beta(freedom / 2, 0.5, x)


def t_quantile(probability: float, freedom: float) -> float:
    """The t with P(T ≤ t) = probability (above one half), to about 1e-10: Newton's method on the tail, from
    the normal quantile."""
    tail = 2 * (1 - probability)
    scale = math.exp(math.lgamma((freedom + 1) / 2) - math.lgamma(freedom / 2)) / math.sqrt(freedom * math.pi)
    t = NormalDist().inv_cdf(probability)
    for _ in range(50):
        density = scale * (1 + t * t / freedom) ** (-(freedom + 1) / 2)
        step = (t_two_sided(t, freedom) - tail) / (2 * density)  # the two-sided tail falls at twice the density
        t = max(t / 2, t + step)  # never past zero, where the tail is 1
        if abs(step) < 1e-12 * t:
            break
    return t


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _fraction(a, b, x) / a
    return 1 - front * _fraction(b, a, 1 - x) / b


def _fraction(a: float, b: float, x: float) -> float:
    # The progress page and each year page call this tens of thousands of times: the two steps of each round are
    # written out, with the same arithmetic in the same order (so the same bits) as the plain loop over both.
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if d > tiny or d < -tiny else tiny)
    result = d
    a_b = a + b
    for m in range(1, 300):
        a_2m = a + 2 * m
        numerator = m * (b - m) * x / ((a_2m - 1) * a_2m)
        d = 1 + numerator * d
        d = 1 / (d if d > tiny or d < -tiny else tiny)
        c = 1 + numerator / c
        if not (c > tiny or c < -tiny):
            c = tiny
        result *= c * d
        numerator = -(a + m) * (a_b + m) * x / (a_2m * (a_2m + 1))
        d = 1 + numerator * d
        d = 1 / (d if d > tiny or d < -tiny else tiny)
        c = 1 + numerator / c
        if not (c > tiny or c < -tiny):
            c = tiny
        cd = c * d
        result *= cd
        if abs(cd - 1) < 1e-14:
            break
    return result
