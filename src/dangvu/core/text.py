"""Vietnamese text helpers: accent-free search keys and dictionary sort keys.

SQLite cannot fold Vietnamese case ('ĐỊNH' LIKE 'định' is false), so every searchable model keeps
a normalised `search_text` column built with `normalize()`, and name ordering uses `name_sort_key()`.
"""

import functools
import re
import unicodedata

from unidecode import unidecode

_SPACES = re.compile(r"\s+")


def normalize(*parts: object) -> str:
    """Lower-case, accent-free, single-spaced text: 'Nguyễn Hữu Định' -> 'nguyen huu dinh'."""
    text = " ".join(str(p) for p in parts if p not in (None, ""))
    text = unidecode(text.replace("đ", "d").replace("Đ", "D")).lower()
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str) -> list[str]:
    return [t for t in normalize(query).split(" ") if t]


# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_BASE_ORDER = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_BASE_RANK = {ch: f"{i:02d}" for i, ch in enumerate(_BASE_ORDER, start=10)}
# Tones: ngang (none) < huyền < hỏi < ngã < sắc < nặng (the order used by Vietnamese dictionaries).
_TONE_RANK = {"": "0", "\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_SHAPE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn belong to the letter


def _letter_key(ch: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    shape = "".join(c for c in decomposed[1:] if c in _SHAPE_MARKS)
    tone = "".join(c for c in decomposed[1:] if c in _TONE_RANK and c)
    letter = unicodedata.normalize("NFC", base + shape)
    if letter == "d" and ch.lower() == "đ":
        letter = "đ"
    rank = _BASE_RANK.get(letter)
    if rank is None:
        rank = "9" + (letter if letter.isascii() else "?")
    return rank, _TONE_RANK.get(tone, "0")


@functools.lru_cache(maxsize=65536)
def word_sort_key(word: str) -> str:
    """Key ordering words the Vietnamese way: letters first, tones only to break ties.
    Memoised: names reuse a few thousand words, and an import of 100,000 rows sorts each row's
    words letter by letter (the import's profile)."""
    ranks, tones = [], []
    for ch in word:
        if not ch.isalnum():
            continue
        if ch.isdigit():
            ranks.append("0" + ch)
            continue
        rank, tone = _letter_key(ch)
        ranks.append(rank)
        tones.append(tone)
    return "".join(ranks) + "." + "".join(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) from 'Nguyễn Hữu Định'."""
    words = _SPACES.sub(" ", full_name or "").strip().split(" ")
    words = [w for w in words if w]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def name_sort_key(full_name: str) -> str:
    """Sort key for a person: given name, then family name, then middle name."""
    family, middle, given = split_name(full_name)
    parts = [given, family, *middle.split(" ")]
    return "|".join(word_sort_key(p) for p in parts if p)[:255]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_variants_by_kind(word: str) -> list[set[str]]:
    """The strings one typing slip away from `word`, most likely slip first: two neighbours
    swapped, a letter missing, a letter too many, a wrong letter."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    kinds = [
        {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1},
        {a + ch + b for a, b in splits for ch in _LETTERS},
        {a + b[1:] for a, b in splits if b},
        {a + ch + b[1:] for a, b in splits if b for ch in _LETTERS},
    ]
    return [{w for w in kind if w and w != word} for kind in kinds]


def one_edit_variants(word: str) -> set[str]:
    """Every string one typing slip away from `word` (a letter dropped, added, replaced, or two
    neighbours swapped), for correcting a search term against the known name words."""
    return set().union(*one_edit_variants_by_kind(word))
