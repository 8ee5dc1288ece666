"""A deterministic synthetic journal for benchmarks: N entries of ~570 words with realistic front matter.

    from benchmarks.synthetic import make_journal
    make_journal(Path("work/entries"), 10_000)      # writes work/entries/YYYY-MM/*.md

Entries run backwards from 2026-11-22, one to three a day, with a therapy session most weeks, about
10% marked to discuss, a few private ones and milestones. The prose is drawn from a word list with
Zipf-like frequencies, so word statistics (and so index sizes) resemble real writing."""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta
from pathlib import Path

LAST_DAY = datetime(2026, 11, 22)
WORDS_PER_ENTRY = 570

# Frequent words first: the order sets their weight (Zipf: the n-th word is used about 1/n as often).
FUNCTION_WORDS = """the i and to a of it was that in my me but not so at for with on is she he had be
this about all just what when like they her we there have as out from do then up one if felt know
think did would could which time again now more some even really too only still back how because
been no were by an or into still much before after over never who them our very down going why
got day get him something can say feel went thing things said us its little off way while though
those also until around other want should make through where any every most much been being each
nothing anything everything someone everyone myself herself himself yourself tonight today yesterday
tomorrow morning evening night week weekend month year hour minute moment""".split()

CONTENT_WORDS = """anxiety worry worried calm calmer quiet tired sleep slept awake dream dreams dreamt
work office desk meeting meetings email emails manager colleague colleagues library branch shelf shelves
books book reading read card catalogue returns chute counter reference archive archives
mum dad mother father sister brother niece nephew aunt uncle grandmother friend friends partner
cat dog kettle tea coffee toast breakfast lunch dinner kitchen garden window balcony stairs
tram bus train station platform bicycle walk walked walking run ran running swim swimming pool
sea beach harbour river reservoir park bench hill path forest rain raining sunny cloudy wind windy
cold warm grey bright dark light lamp candle blanket sofa chair table bed pillow phone call
message text letter envelope stamp parcel market bakery shop supermarket queue bread apples
soup pasta rice vegetables cooking cooked dishes laundry cleaning cleaned tidy messy floor
therapy therapist session sessions homework exercise breathing grounding noticing pattern patterns
thought thoughts feeling feelings emotion emotions body chest stomach shoulders jaw throat hands
heart breath tight tense relaxed heavy lighter panic panicked shaking crying cried tears laugh
laughed laughing smile smiled angry anger guilty guilt shame ashamed afraid fear scared proud
relief relieved hopeful hope lonely alone together safe unsafe small big enough
boundary boundaries limit limits rest resting pause paused space distance closer closeness
memory memories childhood school teacher exam holiday holidays christmas birthday summer winter
autumn spring snow leaves sunset sunrise clouds stars moon weather
decision decide decided choice choices plan plans planning list lists notebook diary journal
sketch sketching drawing drew paint painting colour colours pencil ink paper page pages
music song songs radio podcast film series episode television screen
plant plants pothos cuttings soil roots water watering leaf window-sill
careful carefully slowly quickly suddenly gently honestly probably maybe perhaps almost nearly
always often sometimes rarely usually already finally eventually instead anyway otherwise
better worse good bad fine okay strange odd familiar new old young older long short
first second third last next previous early late later earlier soon
voice voices words sentence question questions answer answers conversation talk talked talking
listen listened listening heard hear hearing noticed notice watched watch looked look looking
remember remembered forget forgot forgotten realise realised understand understood believe believed
tried try trying wanted wanting needed need needing asked ask asking told tell telling
helped help helping started start starting stopped stop stopping finished finish
opened open closed close carried carry held hold holding kept keep keeping
wrote write writing sent send sending bought buy paid pay spent spend
cancelled cancel rescheduled postponed arrived arrive left leave leaving stayed stay staying
slept sleeping woke wake waking dozed napped exhausted drained energy energetic restless
avoid avoided avoiding escape escaped spiral spiralling catastrophising ruminating rumination
kindness kind gentle harsh critic critical inner compassion self-compassion perfectionism
responsibility responsible fault blame blamed apology apologised sorry forgive forgiven
progress setback wobble relapse recovery healing change changed changing different same
evidence alternative balanced prediction predicted outcome outcome probability intensity
trigger triggered reaction react reacted response responded urge urges craving habit habits
routine routines schedule calendar appointment deadline deadlines overtime hours salary
house flat room bedroom bathroom hallway door doors key keys lock neighbour neighbours street
town city village country island mountain valley bridge road car drive drove driving
ruth graham priya marta ivy pip elin tom anna sam nadia jonas""".split()

TAGS = ["anxiety", "sleep", "work", "family", "mum", "sister", "friends", "boundaries", "body",
        "gratitude", "dreams", "perfectionism", "self-compassion", "walking", "drawing", "plants",
        "reading", "food", "money", "home", "loneliness", "anger", "grief", "panic", "rest",
        "routine", "weather", "music", "holidays", "therapy"]
TYPES = [("reflection", 60), ("dream", 10), ("thought-record", 10), ("gratitude", 8), ("note", 12)]
EMOTIONS = ["anxious", "ashamed", "angry", "sad", "guilty", "lonely", "afraid"]
HEADINGS = ["What happened", "What I noticed", "What I want to remember", "For Ruth", "Evidence",
            "A more balanced thought", "Tomorrow", "How it felt in the body"]


SYLLABLES = """ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko la le li lo lu ma me mi mo mu na ne
ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi ya yo za ze
an en in on ar er ir or al el il ol ast est ist ost ing ed ly ment ness tion ful ous ive""".split()
VOCABULARY = 30_000  # a diarist's vocabulary over years of writing: the rare words make indexes honest


def _vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    """Every word with its cumulative Zipf weight: common words first, then a long tail of rarer (made-up) ones."""
    content = sorted(set(CONTENT_WORDS))
    rng.shuffle(content)
    words = FUNCTION_WORDS + [w for w in content if w not in FUNCTION_WORDS]
    seen = set(words)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, list(itertools.accumulate(1.0 / (rank + 2.7) ** 1.1 for rank in range(len(words))))


def _sentence(rng: random.Random, words: list[str], weights: list[float]) -> str:
    """One sentence: 4–22 words, capitalised, the odd comma, an occasional *emphasis*."""
    picked = rng.choices(words, cum_weights=weights, k=rng.randint(4, 22))
    if rng.random() < 0.25:
        picked[rng.randrange(1, len(picked))] += ","
    if rng.random() < 0.08:
        at = rng.randrange(len(picked))
        picked[at] = f"*{picked[at].rstrip(',')}*"
    first = picked[0]
    picked[0] = first[0].upper() + first[1:] if first[0] != "*" else first
    end = rng.choices([".", "?", "!", "…"], [86, 7, 4, 3])[0]
    return " ".join(picked).rstrip(",") + end


def _body(rng: random.Random, words: list[str], weights: list[float], target: int) -> str:
    """Paragraphs, the odd heading, list and quote, until about `target` words."""
    blocks: list[str] = []
    count = 0
    while count < target:
        roll = rng.random()
        if roll < 0.08 and blocks:
            blocks.append("## " + rng.choice(HEADINGS))
            continue
        if roll < 0.14:
            items = [_sentence(rng, words, weights).rstrip(".") for _ in range(rng.randint(2, 4))]
            blocks.append("\n".join(f"- {item}" for item in items))
        elif roll < 0.18:
            blocks.append("> " + _sentence(rng, words, weights))
        else:
            blocks.append(" ".join(_sentence(rng, words, weights) for _ in range(rng.randint(2, 6))))
        count += len(blocks[-1].split())
    return "\n\n".join(blocks) + "\n"


def _title(rng: random.Random, words: list[str]) -> str:
    """A short title from the less common words."""
    picked = rng.sample(words[40:2000], rng.randint(1, 4))
    title = " ".join(picked)
    return title[0].upper() + title[1:]


def _front(rng: random.Random, when: datetime, title: str, kind: str) -> list[str]:
    """Front matter: title, date, type, tags, the default metrics, and the occasional flag."""
    lines = ["---", f"title: \"{title}\"", f"date: {when:%Y-%m-%d %H:%M}", f"type: {kind}",
             f"tags: [{', '.join(rng.sample(TAGS, rng.randint(0, 4)))}]"]
    mood = max(1, min(10, round(rng.gauss(5.5, 1.8))))
    lines += [f"mood: {mood}", f"anxiety: {max(1, min(10, 11 - mood + rng.randint(-2, 2)))}"]
    if rng.random() < 0.6:
        lines.append(f"sleep: {rng.choice([4, 5, 5.5, 6, 6.5, 7, 7.5, 8, 9])}")
    if rng.random() < 0.4:
        lines.append(f"energy: {rng.randint(1, 10)}")
    if kind == "thought-record":
        before = rng.randint(50, 100)
        lines += [f"emotion: {rng.choice(EMOTIONS)}", f"before: {before}", f"after: {max(0, before - rng.randint(0, 60))}"]
    if kind != "session" and rng.random() < 0.10:
        lines.append("discuss: true")
    if rng.random() < 0.03:
        lines.append("private: true")
    if rng.random() < 0.01:
        lines.append(f"milestone: \"{_title(rng, list(TAGS) * 2)}\"")
    return lines + ["---", ""]


def make_journal(folder: Path, n: int, seed: int = 1, years: float | None = None, pause_days: int = 0,
                 links: bool = False) -> None:
    """Write `n` entries into `folder` (the entries folder), as YYYY-MM/YYYY-MM-DD-slug.md files. With `years`,
    the entries spread over about that many years (some days without one); `pause_days` leaves a pause of
    that many days without entries halfway through. With `links`, about one entry in twelve links to a later
    one by its title ([[…]]), and one in a hundred shows a small drawing kept in attachments/."""
    rng = random.Random(seed)
    linking = random.Random(seed + 2)  # its own stream: without `links`, the journal is the same as ever
    titles: list[str] = []
    words, weights = _vocabulary(rng)
    day = LAST_DAY
    written = 0
    session_weekday = 3  # Thursdays
    writing = min(1.0, n / (years * 365 * 1.7)) if years else 1.0  # the share of days with entries (1.7 a day)
    skip = random.Random(seed + 1)  # its own stream: without `years`, the journal is the same as ever
    while written < n:
        if pause_days and written >= n // 2 and written - n // 2 < 3:
            day -= timedelta(days=pause_days)
            pause_days = 0
        if writing < 1.0 and skip.random() > writing:
            day -= timedelta(days=1)
            continue
        todays = min(n - written, rng.choices([1, 2, 3], [45, 40, 15])[0])
        hours = sorted(rng.sample(range(6, 24), todays))
        for index, hour in enumerate(hours):
            session = index == 0 and day.weekday() == session_weekday and rng.random() < 0.9
            kind = "session" if session else rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
            when = day.replace(hour=hour, minute=rng.randrange(0, 60, 5))
            title = ("Session: " if session else "") + _title(rng, words)
            target = max(120, round(rng.gauss(WORDS_PER_ENTRY, 110)))
            text = "\n".join(_front(rng, when, title, kind)) + "\n" + _body(rng, words, weights, target)
            if links:
                text += _links(linking, folder, titles, written)
            titles.append(title)
            slug = "-".join("".join(c for c in title.lower() if c.isalnum() or c == " ").split())[:50]
            path = folder / f"{when:%Y-%m}" / f"{when:%Y-%m-%d}-{written:05d}-{slug}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
        day -= timedelta(days=1)


def _links(rng: random.Random, folder: Path, titles: list[str], number: int) -> str:
    """Now and then a paragraph that links back to an entry written later (the journal is written newest
    first) or shows a drawing."""
    text = ""
    if titles and rng.random() < 1 / 12:
        text += f"\nIt brought back [[{rng.choice(titles[-200:])}]].\n"
    if rng.random() < 1 / 100:
        name = f"drawing-{number:05d}.png"
        (folder / "attachments").mkdir(parents=True, exist_ok=True)
        (folder / "attachments" / name).write_bytes(_TINY_PNG)
        text += f"\n![[{name}]]\n"
    return text


# A 1 × 1 PNG: the drawings' content does not matter to a benchmark, only that they are files to copy.
_TINY_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                          "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d0b6a80000000049454e44ae426082")


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("benchmarks/work/synthetic/entries")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    span = float(sys.argv[3]) if len(sys.argv) > 3 else None  # years, e.g. 20
    pause = int(sys.argv[4]) if len(sys.argv) > 4 else 0  # days without entries halfway, e.g. 183
    make_journal(target, count, years=span, pause_days=pause)
    print(f"Wrote {count} entries to {target}")
