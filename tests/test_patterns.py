"""What goes with better days: Welch intervals worked out by hand, the Benjamini–Hochberg rule on hand-made
p-values, twenty synthetic journals where only #walk matters, and the section as a person reads it."""

from __future__ import annotations

import math
import random
import re
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path
from statistics import NormalDist, mean, variance

import pytest

from generator.build import build
from generator.config import DEFAULT_METRICS, Metric
from generator.entries import Entry, Tag
from generator.patterns import MIN_DAYS, Pattern, benjamini_hochberg, features, find, t_quantile, t_two_sided
from tests.helpers import journal_config, write_entry

MOOD = DEFAULT_METRICS["mood"]
ANXIETY = DEFAULT_METRICS["anxiety"]
START = datetime(2025, 1, 1, 20, 0)


def entry(n: int, tags: tuple[str, ...] = (), type: str = "reflection", **metrics: float) -> Entry:
    """The entry of day n after 1 January 2025, with these tags and numbers."""
    when = START + timedelta(days=n)
    return Entry(
        source=f"{n}.md",
        title=f"Day {n}",
        date=when,
        has_time=True,
        type=type,
        tags=tuple(Tag(t, t) for t in tags),
        metrics={k: float(v) for k, v in metrics.items()},
        discuss=False,
        milestone=None,
        private=False,
        slug=str(n),
        body=b"",
        day=when.date(),
    )


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def section(html: str) -> str:
    return html.split('id="patterns"')[1].split("</section>")[0]


# Student's t, against the printed tables


@pytest.mark.parametrize(("freedom", "quantile"), [(1, 12.706), (5, 2.571), (10, 2.228), (30, 2.042), (120, 1.980)])
def test_t_quantiles_match_the_printed_table(freedom: int, quantile: float) -> None:
    assert t_quantile(0.975, freedom) == pytest.approx(quantile, abs=5e-4)
    assert t_two_sided(quantile, freedom) == pytest.approx(0.05, abs=2e-4)


def test_t_tail_tends_to_the_normal_one() -> None:
    assert t_two_sided(1.959964, 1e7) == pytest.approx(0.05, abs=1e-5)
    assert t_two_sided(0.0, 7) == pytest.approx(1.0)
    assert 0.0301 < t_two_sided(3.0, 4.5) < 0.0400  # P(|T| ≥ 3) is 0.0400 with 4 degrees of freedom, 0.0301 with 5


# The Benjamini–Hochberg rule


def _p(value: float, what: str) -> Pattern:
    return Pattern(MOOD, what, False, 1.0, 0.5, 1.5, 10, 10, value)


def test_benjamini_hochberg_keeps_the_largest_rank_under_its_line() -> None:
    # Ten p-values; at 10% the k-th smallest must be at most k/100: 0.001 ≤ 0.01, 0.008 ≤ 0.02, 0.039 > 0.03,
    # 0.041 > 0.04, 0.042 ≤ 0.05, then 0.061 > 0.06, 0.074 > 0.07 and the rest over — so the five smallest are kept although the third and fourth are over their line.
    values = [0.001, 0.008, 0.039, 0.041, 0.042, 0.061, 0.074, 0.205, 0.212, 0.216]
    kept = benjamini_hochberg([_p(v, str(v)) for v in reversed(values)], 0.10)
    assert [p.p for p in kept] == values[:5]
    assert benjamini_hochberg([_p(v, str(v)) for v in (0.2, 0.5, 0.9)], 0.10) == []


# Welch's difference and interval, by hand


def test_welch_interval_worked_by_hand() -> None:
    # Mood 7 or 8 on 12 days with #walk, 4 to 6 on 24 days without: the difference of the means and Welch's
    # interval computed here from the textbook formula (statistics module, Satterthwaite's degrees of freedom).
    with_walk = [7, 8] * 6
    without = [4, 5, 6] * 8
    entries = [entry(2 * n, ("walk",), mood=v) for n, v in enumerate(with_walk)]  # every other day: no next days
    entries += [entry(100 + 2 * n, (), mood=v) for n, v in enumerate(without)]
    found = find(entries, [MOOD])
    [walk] = [p for p in found.shown if p.what == "#walk" and not p.next_day]
    se1, se2 = variance(with_walk) / 12, variance(without) / 24
    freedom = (se1 + se2) ** 2 / (se1**2 / 11 + se2**2 / 23)
    assert 31.9 < freedom < 32.1  # 3/11 ÷ 12 and 16/23 ÷ 24 per side: 32.0 degrees of freedom
    reach = 2.037 * math.sqrt(se1 + se2)  # t(0.975, 32) from the table
    assert walk.difference == pytest.approx(mean(with_walk) - mean(without)) == pytest.approx(2.5)
    assert walk.low == pytest.approx(2.5 - reach, abs=2e-3)
    assert walk.high == pytest.approx(2.5 + reach, abs=2e-3)
    assert (walk.days_with, walk.days_without) == (12, 24)
    assert found.tested == 1  # the next day is never written here, so only the same day is compared


def test_the_next_day_is_compared_for_things_that_act_later() -> None:
    # On 40 evenings of #wine the next day's mood is 3, else 6: the same day shows nothing, the next day does.
    rng = random.Random(4)
    wine = {n for n in range(120) if rng.random() < 0.33}
    entries = [
        entry(n, ("wine",) if n in wine else (), mood=(3 if n - 1 in wine else 6) + rng.choice((0, 1)))
        for n in range(120)
    ]
    found = find(entries, [MOOD])
    shown = {(p.what, p.next_day) for p in found.shown}
    assert ("#wine", True) in shown
    assert ("#wine", False) not in shown
    [later] = [p for p in found.shown if p.next_day]
    assert later.difference == pytest.approx(-3.0, abs=0.3)
    assert not later.better


def test_a_lower_is_better_number_is_better_when_it_falls() -> None:
    entries = [entry(n, ("walk",) if n % 3 == 0 else (), anxiety=(3 if n % 3 == 0 else 6) + n % 2) for n in range(90)]
    [calm] = [p for p in find(entries, [ANXIETY]).shown if not p.next_day]
    assert calm.difference == pytest.approx(-3.0, abs=0.1)
    assert calm.better


def test_nothing_is_compared_below_thirty_days_or_ten_a_side() -> None:
    few = [entry(n, ("walk",) if n % 2 else (), mood=9 if n % 2 else 2) for n in range(MIN_DAYS - 1)]
    found = find(few, [MOOD])
    assert (found.tested, found.shown, found.short) == (0, (), ((MOOD, MIN_DAYS - 1),))
    rare = [entry(n, ("walk",) if n < 9 else (), mood=9 if n < 9 else 2) for n in range(60)]  # 9 days with
    assert [p.what for p in find(rare, [MOOD]).shown] == []
    constant = [entry(n, ("walk",) if n < 50 else (), mood=9 if n < 50 else 2) for n in range(55)]  # 5 without
    assert find(constant, [MOOD]).tested == 0


def test_questionnaires_are_not_daily_numbers() -> None:
    phq9 = Metric("phq9", "PHQ-9", 0, 27, False, items=9)
    entries = [entry(n, ("walk",) if n % 2 else (), phq9=20 if n % 2 else 2) for n in range(60)]
    found = find(entries, [phq9])
    assert (found.tested, found.metrics, found.short) == (0, (), ())


def test_features_are_tags_types_and_yes_no_fields() -> None:
    e = entry(0, ("walk",), type="dream", mood=5)
    e.extra = {"exercise": True, "alcohol": 2, "meditated": "yes", "coffee": "no", "note": "a long line", "zero": 0}
    assert features(e) == {"#walk", "a dream entry", "exercise", "alcohol", "meditated"}
    assert features(entry(1, (), mood=5)) == set()  # the plain type is not something a day is with


# The experiment: #walk lifts mood by 1.5, thirty other tags are noise


def synthetic(seed: int, days: int = 365) -> list[Entry]:
    """A year of evenings: mood around 5.5 (spread 1.5, written as a whole number 1–10), 1.5 higher on the
    quarter of days with #walk; each of 30 other tags on a fifth of days at random, with no bearing on mood."""
    rng = random.Random(seed)
    entries = []
    for n in range(days):
        walk = rng.random() < 0.25
        tags = tuple(f"noise{k}" for k in range(30) if rng.random() < 0.2) + (("walk",) if walk else ())
        mood = round(min(10.0, max(1.0, rng.gauss(5.5, 1.5) + (1.5 if walk else 0.0))))
        entries.append(entry(n, tags, mood=mood))
    return entries


def test_walk_shows_and_noise_rarely_does_over_twenty_seeds() -> None:
    noise_shares, noisy_seeds = [], 0
    for seed in range(20):
        found = find(synthetic(seed), [MOOD])
        assert found.tested == 62  # 31 tags × the same day and the next
        walk = [p for p in found.shown if p.what == "#walk" and not p.next_day]
        assert walk, f"seed {seed}: #walk not shown"
        assert walk[0].low > 0 and walk[0].high > walk[0].difference > walk[0].low
        noise = [p for p in found.shown if p.what != "#walk"]
        noise_shares.append(len(noise) / len(found.shown))
        noisy_seeds += len({p.what for p in noise}) > 1
    assert noisy_seeds < 10  # at most one noise tag in most seeds
    assert mean(noise_shares) <= 0.10


def test_the_difference_found_is_the_one_put_in() -> None:
    # Over the twenty journals the #walk difference should centre near 1.5 (less a little: moods are capped at 10).
    differences = [next(p.difference for p in find(synthetic(s), [MOOD]).shown if p.what == "#walk") for s in range(20)]
    spread = 1.5 * math.sqrt(1 / 91 + 1 / 274) / math.sqrt(20)  # the standard error of that centre, roughly
    assert abs(mean(differences) - 1.45) < NormalDist().inv_cdf(0.999) * spread + 0.1


# The section, built from files


def _journal(root: Path, days: int) -> Path:
    config = journal_config(root)
    for n in range(days):
        day = date(2026, 1, 1) + timedelta(days=n)
        walk = n % 3 == 0
        write_entry(
            config.entries_dir,
            f"{day}.md",
            f"{day} 21:00",
            f"Day {n}",
            "A walk by the canal. #walk" if walk else "Stayed in.",
            mood=str(8 if walk else 5 + n % 2),
            alcohol=str(n % 4 == 1).lower(),
        )
    build(config, today=date(2026, 12, 3))
    return config.output_dir


def test_the_section_says_it_in_words(tmp_path: Path) -> None:
    output = _journal(tmp_path, 90)
    words = text_of(section((output / "progress.html").read_text(encoding="utf-8")))
    # 30 days with #walk at mood 8; 60 without, half 5 and half 6: 2.5 higher. Welch: all of the spread is on the
    # side without (variance 0.254 over 60 days), so the interval is 2.5 ± t(0.975, 59) × 0.065 = 2.37 to 2.63.
    assert "better: On days with #walk your mood was 2.5 higher (2.4 to 2.6; 30 days with, 60 without)." in words
    assert "A pattern, not proof of a cause." in words
    assert "Benjamini–Hochberg" in words and "10%" in words
    tested = int(re.search(r"\((\d+) comparisons\)", words).group(1))
    assert tested == 4  # #walk and alcohol, each on the same day and the next


def test_a_short_journal_says_how_many_days_it_needs(tmp_path: Path) -> None:
    output = _journal(tmp_path, 20)
    words = text_of(section((output / "progress.html").read_text(encoding="utf-8")))
    assert "A number needs 30 days of values before patterns in it are looked for; so far: 20 days of mood." in words
    assert "On days with" not in words


def test_a_journal_without_numbers_has_no_section(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    for n in range(40):
        write_entry(config.entries_dir, f"{n}.md", f"2026-01-{1 + n % 28:02d} 21:00", f"Day {n}", "Words. #walk")
    build(config, today=date(2026, 12, 3))
    assert 'id="patterns"' not in (config.output_dir / "progress.html").read_text(encoding="utf-8")


def test_each_year_page_has_its_own_patterns(tmp_path: Path) -> None:
    config = journal_config(tmp_path)
    for n in range(120):  # 60 evenings at the end of 2025, 60 at the start of 2026; #walk matters only in 2026
        day = date(2025, 11, 2) + timedelta(days=n)
        walk = n % 2 == 0
        mood = (8 if walk else 4 + n % 4) if day.year == 2026 else 5 + n % 3
        write_entry(
            config.entries_dir, f"{day}.md", f"{day} 21:00", f"Day {n}", "#walk" if walk else "In.", mood=str(mood)
        )
    build(config, today=date(2026, 12, 3))
    later = text_of(section((config.output_dir / "progress" / "2026.html").read_text(encoding="utf-8")))
    earlier = text_of(section((config.output_dir / "progress" / "2025.html").read_text(encoding="utf-8")))
    assert "On days with #walk your mood was" in later
    assert "On days with #walk" not in earlier and "stands out from chance in 2025" in earlier
